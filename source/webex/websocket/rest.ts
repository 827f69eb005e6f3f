// The few REST calls of websocket delivery (catalog, device service,
// conversation service) go to absolute URLs that Webex's own answers name,
// not to WEBEX_API_URL, so they cannot use the typed client's paths; they
// share its single attempt (tracking ids, timeouts, errors with a code) and
// its retry rules.
import {WebexError} from '../errors.js';
import {webexDispatcher} from '../dispatcher.js';
import {sendOnce, trackingIdSequence, type HttpMethod, type Transport} from '../request.js';
import {isRetryableFailure, withRetries} from '../retry.js';

export interface RestOptions {
	token: string;
	/** HTTPS_PROXY, and NO_PROXY's exceptions to it. */
	proxyUrl?: string;
	noProxy?: string;
	/** Per attempt. Default 10 s. */
	timeoutMs?: number;
	/** Retries of 429/5xx/network failures. Default 3. */
	retries?: number;
	signal?: AbortSignal;
}

export interface Rest {
	call<T>(method: HttpMethod, url: string, route: string, body?: unknown): Promise<T>;
}

export function createRest(options: RestOptions): Rest {
	const transport: Transport = {
		token: options.token,
		timeoutMs: options.timeoutMs ?? 10_000,
		defaultRetryAfterMs: 15_000,
		...(options.signal && {signal: options.signal}),
		dispatcher: webexDispatcher(options),
		nextTrackingId: trackingIdSequence(),
	};
	const policy = {retries: options.retries ?? 3, minBackoffMs: 500, maxBackoffMs: 8000, defaultRetryAfterMs: 15_000, ...(options.signal && {signal: options.signal})};
	return {
		async call<T>(method: HttpMethod, url: string, route: string, body?: unknown): Promise<T> {
			// Errors name the path only: a query may carry an address, a host is noise.
			const request = {method, url, path: new URL(url).pathname, route, ...(body === undefined ? {} : {body})};
			const answer = await withRetries(async () => sendOnce(request, transport), {policy, isRetryable: error => isRetryableFailure(error, method)});
			return answer.body as T;
		},
	};
}

/** A malformed answer from a service we depend on: reported like Webex's own failures, as `rejected`. */
export function badAnswer(method: HttpMethod, url: string, what: string): WebexError {
	return new WebexError({status: 200, webexMessage: what, method, path: new URL(url).pathname, systemCode: 'EBADANSWER'});
}
