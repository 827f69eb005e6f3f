import {randomUUID} from 'node:crypto';
import {STATUS_CODES} from 'node:http';
import {request as undiciRequest, type Dispatcher} from 'undici';
import {version} from '../version.js';
import {WebexError, parseErrorBody, webexMessageOf} from './errors.js';
import {parseRetryAfterMs} from './retry.js';
import type {WebexClientObserver} from './types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface WebexRequest {
	method: HttpMethod;
	url: string;
	/** The path after the base URL, without query: used in errors. */
	path: string;
	/** The path with ids replaced by placeholders (`/webhooks/{id}`): a low-cardinality label for observers. */
	route: string;
	body?: unknown;
}

/** Response headers by lower-case name. */
export interface AnswerHeaders {
	/** A single-valued header (Date, Retry-After, trackingid): its first value when repeated. */
	get(name: string): string | undefined;
	/** Every value of a header that may repeat (Link), in the order received. */
	all(name: string): string[];
}

export interface WebexAnswer {
	status: number;
	headers: AnswerHeaders;
	/** Parsed JSON, or undefined for an empty body (DELETE's 204). */
	body: unknown;
}

export interface Transport {
	token: string;
	timeoutMs: number;
	/** Webex's answer for a 429 without a usable Retry-After. */
	defaultRetryAfterMs: number;
	signal?: AbortSignal;
	observer?: WebexClientObserver;
	/** Carries every request: a keep-alive pool, or HTTPS_PROXY's tunnels (dispatcher.ts). */
	dispatcher: Dispatcher;
	nextTrackingId(): string;
}

export const userAgent = `globobot-admin/${version}`;

/**
 * Tracking ids in the shape of Cisco's API guide, `<sender>_<uuid>_<seq>`:
 * one uuid per client, a sequence number per HTTP request, so one request
 * can be found in Webex's logs and ours.
 */
export function trackingIdSequence(sender = 'globobot'): () => string {
	const session = randomUUID();
	let sequence = 0;
	return () => `${sender}_${session}_${sequence++}`;
}

/**
 * One HTTP attempt, bounded by the transport's timeout (which covers reading
 * the body too). Resolves with a 2xx answer; rejects with a WebexError for
 * any other status, a timeout or a connection error, or with the caller's
 * abort reason when the transport's signal aborts.
 */
export async function sendOnce(request: WebexRequest, transport: Transport): Promise<WebexAnswer> {
	const trackingId = transport.nextTrackingId();
	const timeout = new AbortController();
	const timer = setTimeout(() => {
		timeout.abort();
	}, transport.timeoutMs);
	const signal = transport.signal ? AbortSignal.any([timeout.signal, transport.signal]) : timeout.signal;
	const started = performance.now();
	let status = 0;
	let date: string | undefined;
	let answeredTrackingId = trackingId;
	try {
		// undici follows no redirect: Webex does not redirect, and following one could hand the token to another host.
		const response = await undiciRequest(request.url, {
			method: request.method,
			headers: headersFor(request, transport.token, trackingId),
			body: request.body === undefined ? undefined : JSON.stringify(request.body),
			signal,
			dispatcher: transport.dispatcher,
		});
		status = response.statusCode;
		const headers = answerHeaders(response.headers);
		date = headers.get('date');
		answeredTrackingId = headers.get('trackingid') ?? trackingId;
		const text = await response.body.text();
		if (status < 200 || status > 299) {
			throw errorFromAnswer(request, status, headers, text, trackingId, transport);
		}

		return {status, headers, body: parseJson(text, status, request, trackingId)};
	} catch (error) {
		transport.signal?.throwIfAborted();
		if (error instanceof WebexError) {
			throw error;
		}

		throw networkError(request, error, timeout.signal.aborted, transport.timeoutMs, trackingId);
	} finally {
		clearTimeout(timer);
		transport.observer?.onResponse?.({
			method: request.method,
			path: request.route,
			status,
			durationMs: Math.round(performance.now() - started),
			...(date !== undefined && {date}),
			trackingId: answeredTrackingId,
		});
	}
}

function headersFor(request: WebexRequest, token: string, trackingId: string): Record<string, string> {
	const headers: Record<string, string> = {
		Authorization: `Bearer ${token}`,
		Accept: 'application/json',
		TrackingID: trackingId,
		'User-Agent': userAgent,
	};
	if (request.body !== undefined) {
		headers['Content-Type'] = 'application/json';
	}

	return headers;
}

/** undici gives a repeated header as an array of its values, under its lower-case name. */
function answerHeaders(raw: Record<string, string | string[] | undefined>): AnswerHeaders {
	const all = (name: string) => {
		const value = raw[name.toLowerCase()];
		return value === undefined ? [] : [value].flat();
	};
	return {get: name => all(name)[0], all};
}

function errorFromAnswer(request: WebexRequest, status: number, headers: AnswerHeaders, text: string, requestTrackingId: string, transport: Transport): WebexError {
	const body = parseErrorBody(text);
	return new WebexError({
		status,
		webexMessage: webexMessageOf(body, STATUS_CODES[status] ?? '', status),
		method: request.method,
		path: request.path,
		trackingId: body.trackingId ?? headers.get('trackingid'),
		requestTrackingId,
		retryAfterMs: status === 429
			? parseRetryAfterMs(headers.get('retry-after')) ?? transport.defaultRetryAfterMs
			: undefined,
	});
}

function networkError(request: WebexRequest, cause: unknown, timedOut: boolean, timeoutMs: number, requestTrackingId: string): WebexError {
	const code = timedOut ? 'ETIMEDOUT' : systemCodeOf(cause);
	const reason = timedOut ? `timed out after ${timeoutMs} ms` : connectionFailure(cause);
	return new WebexError({
		status: 0,
		webexMessage: reason,
		method: request.method,
		path: request.path,
		requestTrackingId,
		systemCode: code,
		// No `cause`: it may repeat the full URL, query included.
	});
}

/** The failure in words, without a URL: its query can hold an email address (people?email=…). */
function connectionFailure(cause: unknown): string {
	const message = cause instanceof Error ? cause.message : String(cause);
	return message.replace(/\b[a-z][a-z+.-]*:\/\/\S+/gi, '<url>');
}

function systemCodeOf(error: unknown): string | undefined {
	if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
		return error.code;
	}

	return undefined;
}

function parseJson(text: string, status: number, request: WebexRequest, requestTrackingId: string): unknown {
	if (text.trim() === '') {
		return undefined;
	}

	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		// A 2xx that is not JSON: report it as an error now rather than a crash further on.
		throw new WebexError({
			status,
			webexMessage: 'the answer is not valid JSON',
			method: request.method,
			path: request.path,
			requestTrackingId,
			systemCode: 'EBADJSON',
			cause: error,
		});
	}
}
