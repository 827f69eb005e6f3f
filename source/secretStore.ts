// A webhook secret the operator never has to copy by hand: when none is
// configured, generate a strong one and keep it in GLOBOBOT_HOME with
// owner-only permissions, where loadConfig reads it on the next start.
import {randomBytes} from 'node:crypto';
import type {Config} from './config.js';
import {writePrivateFile} from './privateFiles.js';

export function generateSecret(): string {
	return randomBytes(32).toString('base64url');
}

/** The secret that signs new webhooks: the configured one, or a generated one saved to config.secretFile (0600, never through a symlink). */
export function ensureWebhookSecret(config: Pick<Config, 'webhookSecrets' | 'secretFile'>): {secret: string; generated: boolean} {
	const configured = config.webhookSecrets[0];
	if (configured) return {secret: configured, generated: false};
	const secret = generateSecret();
	writePrivateFile(config.secretFile, secret + '\n');
	return {secret, generated: true};
}
