// A webhook secret the operator never has to copy by hand: when none is
// configured, generate a strong one and keep it in GLOBOBOT_HOME with
// owner-only permissions, where loadConfig reads it on the next start.
import {randomBytes} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Config} from './config.js';

export function generateSecret(): string {
	return randomBytes(32).toString('base64url');
}

/** The secret that signs new webhooks: the configured one, or a generated one saved to config.secretFile. */
export function ensureWebhookSecret(config: Pick<Config, 'webhookSecrets' | 'secretFile'>): {secret: string; generated: boolean} {
	const configured = config.webhookSecrets[0];
	if (configured) return {secret: configured, generated: false};
	const secret = generateSecret();
	mkdirSync(path.dirname(config.secretFile), {recursive: true, mode: 0o700});
	writeFileSync(config.secretFile, secret + '\n', {mode: 0o600});
	return {secret, generated: true};
}
