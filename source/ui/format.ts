// Pure text helpers for the views: what a webhook, an error or an event looks
// like on one terminal line. No I/O, no React. Errors are read by WebexError's
// code (classified once, in source/webex/errors.ts), never by their status.
import type {ListenerEvent} from '../../server/events.js';
import {isTransient, isWebexError, type WebexErrorCode} from '../webex/errors.js';

/** An error as the screen shows it: Webex's message, its status and trackingId when known, and what it means. */
export interface UiError {
	message: string;
	status?: number;
	trackingId?: string;
	/** WebexError's classification (source/webex/errors.ts); absent for failures that did not come from Webex. */
	code?: WebexErrorCode;
	/** How long Webex asked to wait, for a rate limit. */
	retryAfterMs?: number;
}

/** Reads a WebexError's code and Webex's own words; any other Error by its message. */
export function describeError(error: unknown): UiError {
	if (isWebexError(error)) {
		// `webexMessage` is Webex's own words; `message` repeats the request line around them.
		const text = error.webexMessage || error.message || 'unknown error';
		return {
			message: error.code === 'unreachable' ? `no answer from the API (${error.systemCode ?? text})` : text,
			status: error.status > 0 ? error.status : undefined,
			trackingId: error.trackingId || undefined,
			code: error.code,
			...(error.retryAfterMs === undefined ? {} : {retryAfterMs: error.retryAfterMs}),
		};
	}
	if (error instanceof Error) return {message: error.message || 'unknown error'};
	return {message: String(error)};
}

export const isUnauthorized = (error: UiError | undefined) => error?.code === 'unauthorised';

/** Worth retrying by itself: Webex's load or the network, not the request. */
export const isTransientError = (error: UiError | undefined) => error?.code !== undefined && isTransient(error.code);

/** The title of an error box: what kind of failure, so a refused connection is not called a refusal. */
export function errorTitle(error: UiError): string {
	if (error.code === 'unreachable') return 'Webex unreachable';
	if (error.code === 'rate-limited') return 'Webex rate-limited';
	return 'Webex refused';
}

/** "Webex unreachable (ECONNREFUSED) — retrying in 4s (attempt 2)". */
export function outageText(error: UiError, retryInMs: number, attempt: number): string {
	const what = error.code === 'unreachable' ? `Webex unreachable (${error.message.replace(/^no answer from the API \((.*)\)$/, '$1')})` : error.code === 'rate-limited' ? 'Webex rate-limited' : `Webex unavailable (${error.status ?? '?'} ${error.message})`;
	return `${what} — retrying in ${Math.max(0, Math.ceil(retryInMs / 1000))}s (attempt ${attempt})`;
}

/** `roomId=Y2lzY29zcGFyazovL3VzL1JPT00v…` → `roomId=Y2lzY29z…`: long values (opaque ids) cut short. */
export function shortenFilter(filter: string | undefined, valueLength = 10): string {
	if (!filter) return '—';
	return filter
		.split('&')
		.map(pair => {
			const [key = '', value = ''] = pair.split('=', 2);
			return value.length > valueLength + 1 ? `${key}=${value.slice(0, valueLength)}…` : pair;
		})
		.join('&');
}

const shortResources: Record<string, string> = {messages: 'msg', memberships: 'member', attachmentActions: 'action', rooms: 'room'};

/** `messages:created`, or `msg:created` where a column is narrow. */
export const resourceEvent = (resource: string, event: string, short = false) => `${short ? (shortResources[resource] ?? resource) : resource}:${event}`;

/** Never the secret itself: only whether there is one. */
export const secretState = (secret: string | undefined) => (secret ? 'yes' : 'no');
export const maskedSecret = (secret: string | undefined) => (secret ? '•••••••• (set, hidden)' : '(none)');

/** HH:MM:SS in local time. */
export function clockTime(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return '--:--:--';
	return date.toTimeString().slice(0, 8);
}

/** The outcome word of an activity line, with Webex's status for a failure or the reason of a rejection. */
export function outcomeLabel(event: ListenerEvent): string {
	switch (event.outcome) {
		case 'rejected': {
			return `rejected ${event.reason ?? ''}`.trim();
		}
		case 'failed': {
			return event.status ? `error (Webex ${event.status})` : `error ${event.reason ?? ''}`.trim();
		}
		case 'ignored': {
			return `ignored ${event.reason ?? ''}`.trim();
		}
		// Catch-up (issue 11): a question found after downtime, rather than delivered.
		case 'received': {
			return event.source === 'catch-up' ? 'caught up' : 'received';
		}
		default: {
			return event.outcome;
		}
	}
}

export function outcomeColor(event: ListenerEvent): string | undefined {
	switch (event.outcome) {
		case 'replied': {
			return 'green';
		}
		case 'denied':
		case 'duplicate': {
			return 'yellow';
		}
		case 'rejected':
		case 'failed': {
			return 'red';
		}
		case 'ignored': {
			return 'gray';
		}
		default: {
			return undefined;
		}
	}
}
