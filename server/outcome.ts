// How an event attempt ends when it does not end in a reply, and the one
// reading of a Webex failure (its code) the replier and worker act on.
import {WebexError} from '../source/webex/errors.js';

/** Why an event ended without a reply, or must be tried again. */
export class EventOutcome extends Error {
	constructor(
		/** `failed`: ends the event; `retry`: back to the inbox after `delayMs` (0: the worker's backoff); `lost`: another worker owns it now. */
		readonly kind: 'failed' | 'retry' | 'lost',
		readonly reason: string,
		readonly delayMs = 0,
		readonly status?: number,
	) {
		super(reason);
	}
}

/** not-found ends the event with `notFoundReason`; rate-limited, unavailable, unreachable come back later; unauthorised and rejected end it. */
export function asOutcome(error: unknown, notFoundReason: string): Error {
	if (error instanceof EventOutcome) return error;
	if (!(error instanceof WebexError)) return error instanceof Error ? error : new Error(String(error));
	const status = error.status === 0 ? undefined : error.status;
	switch (error.code) {
		case 'not-found':
			return new EventOutcome('failed', notFoundReason, 0, status);
		case 'rate-limited':
		case 'unavailable':
		case 'unreachable':
			return new EventOutcome('retry', `webex-${error.code}`, error.retryAfterMs ?? 0, status);
		case 'unauthorised':
		case 'rejected':
			return new EventOutcome('failed', `webex-${error.code}`, 0, status);
	}
}

/** For logs: the kind of failure, never its payload. */
export function errorSummary(error: unknown): string {
	if (error instanceof WebexError) return `webex ${error.method} ${error.path} ${error.code}${error.status ? ` ${error.status}` : ''}`;
	if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
	return 'unknown error';
}
