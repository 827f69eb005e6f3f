// Pure text helpers for the views: what a webhook, an error or an event looks
// like on one terminal line. No I/O, no React.
import type {ListenerEvent} from '../../server/events.js';

/** An error as the screen shows it: Webex's message, its status and trackingId when known. */
export interface UiError {
	message: string;
	status?: number;
	trackingId?: string;
}

/** Reads a WebexError (or any Error) without importing the client, so views stay free of source/webex. */
export function describeError(error: unknown): UiError {
	if (error && typeof error === 'object') {
		const {message, webexMessage, status, trackingId} = error as {message?: unknown; webexMessage?: unknown; status?: unknown; trackingId?: unknown};
		// A WebexError's `webexMessage` is Webex's own words; its `message` repeats the request line around them.
		const text = typeof webexMessage === 'string' && webexMessage ? webexMessage : typeof message === 'string' && message ? message : 'unknown error';
		const known = typeof status === 'number' && status > 0 ? status : undefined;
		return {
			message: status === 0 ? `no answer from the API (${text})` : text,
			status: known,
			trackingId: typeof trackingId === 'string' && trackingId ? trackingId : undefined,
		};
	}
	return {message: String(error)};
}

export const isUnauthorized = (error: UiError | undefined) => error?.status === 401;

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
			return event.reason === 'catch-up' ? 'caught up' : 'received';
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
