// The Webex client a command talks to, built from the configuration, and what
// a Webex failure means to the person who ran the command. Commands fail fast
// (few retries); the listener builds its own, patient client.
import type {Config} from '../config.js';
import {createWebexClient} from '../webex/client.js';
import {isWebexError, type WebexError} from '../webex/errors.js';
import type {WebexClient} from '../webex/types.js';
import {CommandError} from './run.js';

/** The client options every command (and the TUI) uses: a person is waiting, so few retries and short waits. */
export function webexForCommand(config: Pick<Config, 'webexToken' | 'webexApiUrl' | 'maxRetryAfterMs' | 'httpsProxy' | 'noProxy'>): WebexClient {
	if (!config.webexToken) {
		throw new CommandError('WEBEX_TOKEN is not set: export the bot\'s access token (or run `globobot-admin sandbox` and point WEBEX_API_URL at it)', 2);
	}
	return createWebexClient({
		baseUrl: config.webexApiUrl,
		token: config.webexToken,
		retries: 2,
		timeoutMs: 10_000,
		maxBackoffMs: 2_000,
		defaultRetryAfterMs: 2_000,
		maxRetryAfterMs: Math.min(config.maxRetryAfterMs, 30_000),
		// The same way out as the listener's: a console behind the bank's proxy reaches Webex too.
		...(config.httpsProxy && {proxyUrl: config.httpsProxy}),
		...(config.noProxy && {noProxy: config.noProxy}),
	});
}

const tracking = (error: WebexError) => (error.trackingId ? `, trackingId ${error.trackingId}` : '');

/** One line saying what a Webex failure means, read from its code (never from the status). */
export function describeWebexFailure(error: WebexError, apiUrl: string): string {
	switch (error.code) {
		case 'unreachable':
			return `cannot reach Webex at ${apiUrl} (${error.systemCode ?? error.webexMessage}): check WEBEX_API_URL and the network`;
		case 'unauthorised':
			return `Webex rejected WEBEX_TOKEN (${error.status}${tracking(error)}): check the bot's access token`;
		case 'rate-limited':
			return `Webex is rate-limiting this bot (429${tracking(error)}): ${error.webexMessage}; try again later`;
		case 'unavailable':
			return `Webex is unavailable (${error.status} ${error.webexMessage}${tracking(error)}): try again later`;
		case 'not-found':
		case 'rejected':
			return `Webex answered ${error.status}: ${error.webexMessage}${tracking(error)}`;
	}
}

/** Turns a Webex failure into the command's one-line error: a rejected token is a configuration problem (exit 2). */
export function explainWebexError(error: unknown, config: Pick<Config, 'webexApiUrl'>): never {
	if (!isWebexError(error)) throw error;
	throw new CommandError(describeWebexFailure(error, config.webexApiUrl), error.code === 'unauthorised' ? 2 : 1);
}
