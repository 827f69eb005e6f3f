import type {WebexErrorBody} from './types.js';

export interface WebexErrorDetails {
	/** HTTP status, or 0 when no answer arrived (timeout or connection error). */
	status: number;
	/** Webex's own explanation (body `message`, else `errors[0].description`, else the status text), or the network failure. */
	webexMessage: string;
	method: string;
	/** The request path after the base URL, without its query (queries can carry email addresses). */
	path: string;
	trackingId?: string;
	/** The `TrackingID` globobot sent with the failed request, for matching client and server logs. */
	requestTrackingId?: string;
	/** How long Webex asked us to wait (429), or the default used when it did not say. */
	retryAfterMs?: number;
	/** For status 0: 'ETIMEDOUT' for our per-attempt timeout, else the system error code (ECONNREFUSED, …). */
	systemCode?: string;
	cause?: unknown;
}

/**
 * A Webex call that failed for good (after any retries). Built only from the
 * answer and the request line, so it can never carry the bearer token.
 */
export class WebexError extends Error {
	override readonly name = 'WebexError';
	readonly status: number;
	readonly webexMessage: string;
	readonly method: string;
	readonly path: string;
	readonly trackingId?: string;
	readonly requestTrackingId?: string;
	readonly retryAfterMs?: number;
	/** What the failure means, decided here once; the worker, commands, doctor and TUI read this, never the status. */
	readonly code: WebexErrorCode;
	readonly systemCode?: string;

	constructor(details: WebexErrorDetails) {
		super(describe(details), details.cause === undefined ? undefined : {cause: details.cause});
		this.status = details.status;
		this.webexMessage = details.webexMessage;
		this.method = details.method;
		this.path = details.path;
		this.trackingId = details.trackingId;
		this.requestTrackingId = details.requestTrackingId;
		this.retryAfterMs = details.retryAfterMs;
		this.systemCode = details.systemCode;
		this.code = classify(details.status);
	}

	/** True when no HTTP answer arrived: a timeout or a connection error. */
	get isNetworkError(): boolean {
		return this.status === 0;
	}
}

/**
 * - `rate-limited`: 429, wait Retry-After; nothing was created.
 * - `unavailable`: 5xx; try again later (a POST may or may not have been applied).
 * - `unreachable`: no HTTP answer (timeout, refused, reset); try again later.
 * - `unauthorised`: 401/403 with the token; fix the configuration.
 * - `not-found`: 404 (or 410); the message, room, person or webhook is gone.
 * - `rejected`: any other 4xx; Webex refused the request as made; nothing was created.
 */
export type WebexErrorCode = 'rate-limited' | 'unavailable' | 'unreachable' | 'unauthorised' | 'not-found' | 'rejected';

export function classify(status: number): WebexErrorCode {
	if (status === 0) return 'unreachable';
	if (status === 429) return 'rate-limited';
	if (status >= 500) return 'unavailable';
	if (status === 401 || status === 403) return 'unauthorised';
	if (status === 404 || status === 410) return 'not-found';
	return 'rejected';
}

/** Worth trying again later: the cause is Webex's load or the network, not the request. */
export const isTransient = (code: WebexErrorCode) => code === 'rate-limited' || code === 'unavailable' || code === 'unreachable';

export function isWebexError(error: unknown): error is WebexError {
	return error instanceof WebexError;
}

function describe({status, webexMessage, method, path, trackingId}: WebexErrorDetails): string {
	const outcome = status === 0 ? `no response (${webexMessage})` : `${status} ${webexMessage}`;
	const tracking = trackingId ? ` (trackingId ${trackingId})` : '';
	return `Webex ${method} ${path} failed: ${outcome}${tracking}`;
}

/**
 * Reads Webex's explanation out of an error answer. The body is usually
 * `{message, errors:[{description}], trackingId}`, but a 429 is documented
 * with a text/html body, so anything that is not that JSON is ignored rather
 * than shown (an HTML page makes a useless error message).
 */
export function parseErrorBody(text: string): Partial<WebexErrorBody> {
	const trimmed = text.trim();
	if (!trimmed.startsWith('{')) {
		return {};
	}

	try {
		const parsed: unknown = JSON.parse(trimmed);
		return isRecord(parsed) ? pickErrorFields(parsed) : {};
	} catch {
		return {};
	}
}

function pickErrorFields(body: Record<string, unknown>): Partial<WebexErrorBody> {
	const fields: Partial<WebexErrorBody> = {};
	if (typeof body.message === 'string') {
		fields.message = body.message;
	}

	if (Array.isArray(body.errors)) {
		fields.errors = body.errors
			.filter((entry): entry is {description: string} => isRecord(entry) && typeof entry.description === 'string')
			.map(entry => ({description: entry.description}));
	}

	if (typeof body.trackingId === 'string') {
		fields.trackingId = body.trackingId;
	}

	return fields;
}

export function webexMessageOf(body: Partial<WebexErrorBody>, statusText: string, status: number): string {
	return nonEmpty(body.message)
		?? nonEmpty(body.errors?.[0]?.description)
		?? nonEmpty(statusText)
		?? `HTTP ${status}`;
}

function nonEmpty(value: string | undefined): string | undefined {
	return value && value.trim() !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
