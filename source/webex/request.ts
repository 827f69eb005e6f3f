import {randomUUID} from 'node:crypto';
import type {Agent} from 'node:http';
import type {Response} from 'node-fetch';
import {version} from '../version.js';
import type {AgentForUrl} from './agent.js';
import {WebexError, parseErrorBody, webexMessageOf} from './errors.js';
import {parseRetryAfterMs} from './retry.js';
import type {WebexClientObserver} from './types.js';

/**
 * node-fetch (and the web-streams polyfill it brings) is loaded on the first
 * request, not at import: the TUI draws its first frame before any request, so
 * it does not wait for this.
 */
let fetchModule: Promise<typeof import('node-fetch')> | undefined;
async function loadFetch() {
	fetchModule ??= import('node-fetch');
	return (await fetchModule).default;
}

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

export interface WebexAnswer {
	status: number;
	headers: Response['headers'];
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
	/** Carries every request: through HTTPS_PROXY (source/webex/websocket/proxy.ts), else a keep-alive pool (agent.ts). */
	agent?: Agent | AgentForUrl;
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
		const fetch = await loadFetch();
		const response = await fetch(request.url, {
			method: request.method,
			headers: headersFor(request, transport.token, trackingId),
			body: request.body === undefined ? undefined : JSON.stringify(request.body),
			signal,
			// Webex does not redirect; following one could hand the token to another host.
			redirect: 'manual',
			...(transport.agent && {agent: transport.agent}),
		});
		status = response.status;
		date = response.headers.get('date') ?? undefined;
		answeredTrackingId = response.headers.get('trackingid') ?? trackingId;
		const text = await response.text();
		if (!response.ok) {
			throw errorFromAnswer(request, response, text, trackingId, transport);
		}

		return {status, headers: response.headers, body: parseJson(text, status, request, trackingId)};
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

function errorFromAnswer(request: WebexRequest, response: Response, text: string, requestTrackingId: string, transport: Transport): WebexError {
	const body = parseErrorBody(text);
	return new WebexError({
		status: response.status,
		webexMessage: webexMessageOf(body, response.statusText, response.status),
		method: request.method,
		path: request.path,
		trackingId: body.trackingId ?? response.headers.get('trackingid') ?? undefined,
		requestTrackingId,
		retryAfterMs: response.status === 429
			? parseRetryAfterMs(response.headers.get('retry-after')) ?? transport.defaultRetryAfterMs
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
		// No `cause`: node-fetch's error repeats the full URL, query included.
	});
}

/**
 * node-fetch words it `request to <url> failed, reason: …`; the URL is
 * dropped because its query can hold an email address (people?email=…).
 */
function connectionFailure(cause: unknown): string {
	const message = cause instanceof Error ? cause.message : String(cause);
	return message.replace(/^request to \S+ failed, reason: /, '');
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
