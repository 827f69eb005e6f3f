// The Webex client a command talks to, built from the configuration. Commands
// fail fast (few retries); the listener builds its own, patient client.
import type {Config} from '../config.js';
import {createWebexClient} from '../webex/client.js';
import {isWebexError} from '../webex/errors.js';
import type {WebexClient} from '../webex/types.js';
import {CommandError} from './run.js';

export function webexForCommand(config: Config): WebexClient {
	if (!config.webexToken) {
		throw new CommandError('WEBEX_TOKEN is not set: export the bot\'s access token (or run `globobot-admin sandbox` and point WEBEX_API_URL at it)', 2);
	}
	return createWebexClient({baseUrl: config.webexApiUrl, token: config.webexToken, retries: 2, timeoutMs: 10_000, maxBackoffMs: 2_000, defaultRetryAfterMs: 2_000});
}

/** Turns a Webex failure into the one-line error a command prints: a rejected token is a configuration problem (exit 2). */
export function explainWebexError(error: unknown, config: Pick<Config, 'webexApiUrl'>): never {
	if (isWebexError(error) && error.status === 401) {
		throw new CommandError(`Webex rejected WEBEX_TOKEN (401${error.trackingId ? `, trackingId ${error.trackingId}` : ''}): check the bot's access token`, 2);
	}
	if (isWebexError(error) && error.status === 0) {
		throw new CommandError(`cannot reach the Webex API at ${config.webexApiUrl}: ${error.webexMessage}`, 1);
	}
	throw error;
}
