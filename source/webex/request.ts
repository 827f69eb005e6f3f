import {randomUUID} from 'node:crypto';
import http, {type Agent, type IncomingHttpHeaders} from 'node:http';
import https from 'node:https';
import {version} from '../version.js';
import type {AgentForUrl} from './agent.js';
import {WebexError, parseErrorBody, webexMessageOf} from './errors.js';
import {parseRetryAfterMs} from './retry.js';
import type {WebexClientObserver} from './types.js';

// Each call is one node:http(s) request, not node-fetch: a reply makes two
// calls, and measured on the listener's hot path node-fetch cost about four
// times the CPU of the request itself (WHATWG Headers, a stream pipeline and
// abort signals per response). What a Webex call needs is small: a JSON body
// out, a status, three headers and a JSON body back, no redirects followed.

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

/** An answer's headers, read by name in any case; repeated ones joined with ", " (as Link's are). */
export interface AnswerHeaders {
	get(name: string): string | null;
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
		const body = request.body === undefined ? undefined : JSON.stringify(request.body);
		const answer = await exchange(request.url, {method: request.method, headers: headersFor(transport.token, trackingId, body), agent: transport.agent, signal}, body);
		status = answer.status;
		date = answer.headers.get('date') ?? undefined;
		answeredTrackingId = answer.headers.get('trackingid') ?? trackingId;
		// Webex does not redirect; a 3xx is an error here, never followed (it could hand the token to another host).
		if (status < 200 || status >= 300) {
			throw errorFromAnswer(request, answer, trackingId, transport);
		}

		return {status, headers: answer.headers, body: parseJson(answer.text, status, request, trackingId)};
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

interface Exchanged {
	status: number;
	statusText: string;
	headers: AnswerHeaders;
	text: string;
}

interface ExchangeOptions {
	method: HttpMethod;
	headers: Record<string, string>;
	agent: Agent | AgentForUrl | undefined;
	signal: AbortSignal;
}

/** One request and its whole answer, as text; aborting the signal ends it (while the body is read too). */
async function exchange(url: string, options: ExchangeOptions, body: string | undefined): Promise<Exchanged> {
	const target = new URL(url);
	const agent = typeof options.agent === 'function' ? options.agent(target) : options.agent;
	const send = target.protocol === 'https:' ? https.request : http.request;
	return new Promise((resolve, reject) => {
		const outgoing = send(target, {method: options.method, headers: options.headers, signal: options.signal, ...(agent && {agent})}, incoming => {
			const chunks: Buffer[] = [];
			incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
			incoming.once('error', reject);
			// Cut short (the socket closed mid-body) without an error event: it must not hang.
			incoming.once('close', () => {
				if (!incoming.complete) reject(Object.assign(new Error('the answer was cut short'), {code: 'ECONNRESET'}));
			});
			incoming.once('end', () => {
				resolve({status: incoming.statusCode ?? 0, statusText: incoming.statusMessage ?? '', headers: headersOf(incoming.headers), text: Buffer.concat(chunks).toString('utf8')});
			});
		});
		outgoing.once('error', reject);
		outgoing.end(body);
	});
}

function headersOf(headers: IncomingHttpHeaders): AnswerHeaders {
	return {
		get(name) {
			const value = headers[name.toLowerCase()];
			if (value === undefined) return null;
			return Array.isArray(value) ? value.join(', ') : value;
		},
	};
}

function headersFor(token: string, trackingId: string, body: string | undefined): Record<string, string> {
	const headers: Record<string, string> = {
		Authorization: `Bearer ${token}`,
		Accept: 'application/json',
		TrackingID: trackingId,
		'User-Agent': userAgent,
	};
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		headers['Content-Length'] = String(Buffer.byteLength(body));
	}

	return headers;
}

function errorFromAnswer(request: WebexRequest, response: Exchanged, requestTrackingId: string, transport: Transport): WebexError {
	const body = parseErrorBody(response.text);
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
		// No `cause`: whatever it carries is not needed, and a URL's query can hold an email address.
	});
}

/** Node's own words (`connect ECONNREFUSED 127.0.0.1:443`, `socket hang up`): they never name the path or query. */
function connectionFailure(cause: unknown): string {
	return cause instanceof Error ? cause.message : String(cause);
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
