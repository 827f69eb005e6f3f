import {webexDispatcher} from './dispatcher.js';
import {WebexError} from './errors.js';
import {collect, paginate, parseNextLink, type Page} from './pagination.js';
import {sendOnce, trackingIdSequence, type HttpMethod, type Transport, type WebexAnswer} from './request.js';
import {isRetryableFailure, withRetries, type RetryPolicy} from './retry.js';
import type {
	CreateMessage,
	CreateWebhook,
	ListDirectMessagesQuery,
	ListMembershipsQuery,
	ListMessagesQuery,
	ListRoomsQuery,
	ListWebhooksQuery,
	Membership,
	Message,
	Person,
	Room,
	UpdateWebhook,
	Webhook,
	WebexClient,
	WebexClientOptions,
} from './types.js';

const defaults = {
	timeoutMs: 10_000,
	retries: 5,
	minBackoffMs: 500,
	maxBackoffMs: 30_000,
	// WebexPythonSDK's choice for a 429 that does not say how long to wait.
	defaultRetryAfterMs: 15_000,
} as const;

type Query = Record<string, string | number | undefined>;

interface Call {
	method: HttpMethod;
	/** Path after the base URL, ids already encoded. */
	path: string;
	/** The same path with ids as placeholders, for observers' labels. */
	route: string;
	query?: Query;
	body?: unknown;
}

/**
 * A typed Webex REST client: one method per call globobot makes, each with a
 * per-attempt timeout and the retry rules of retry.ts.
 */
export function createWebexClient(options: WebexClientOptions): WebexClient {
	const base = parseBaseUrl(options.baseUrl);
	if (!options.token) {
		throw new TypeError('createWebexClient needs a token');
	}

	const transport: Transport = {
		token: options.token,
		timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
		defaultRetryAfterMs: options.defaultRetryAfterMs ?? defaults.defaultRetryAfterMs,
		signal: options.signal,
		observer: options.observer,
		dispatcher: webexDispatcher(options),
		nextTrackingId: trackingIdSequence(),
	};
	const policy: RetryPolicy = {
		retries: options.retries ?? defaults.retries,
		minBackoffMs: options.minBackoffMs ?? defaults.minBackoffMs,
		maxBackoffMs: options.maxBackoffMs ?? defaults.maxBackoffMs,
		defaultRetryAfterMs: transport.defaultRetryAfterMs,
		maxRetryAfterMs: options.maxRetryAfterMs,
		signal: options.signal,
	};

	async function send(call: Call, url = urlFor(base, call.path, call.query)): Promise<WebexAnswer> {
		const request = {...call, url};
		return withRetries(async () => sendOnce(request, transport), {
			policy,
			isRetryable: error => isRetryableFailure(error, call.method),
			onRetry({error, attempt, delayMs}) {
				options.observer?.onRetry?.({method: call.method, path: call.route, status: error.status, attempt, delayMs});
			},
		});
	}

	async function object<T>(call: Call): Promise<T> {
		const answer = await send(call);
		return answer.body as T;
	}

	function list<T>(call: Omit<Call, 'method'>): AsyncIterable<T> {
		const get: Call = {...call, method: 'GET'};
		return paginate<T>(urlFor(base, call.path, call.query), async url => {
			const answer = await send(get, sameOrigin(base, url, get));
			return pageOf<T>(answer, url, get);
		});
	}

	return {
		baseUrl: base.href.replace(/\/$/, ''),
		people: {
			me: async () => object<Person>({method: 'GET', path: '/people/me', route: '/people/me'}),
			list: async query => collect(list<Person>({path: '/people', route: '/people', query})),
			get: async personId => object<Person>({method: 'GET', path: `/people/${id(personId)}`, route: '/people/{id}'}),
		},
		webhooks: {
			list: (query: ListWebhooksQuery = {}) => list<Webhook>({path: '/webhooks', route: '/webhooks', query: {...query}}),
			get: async webhookId => object<Webhook>({method: 'GET', path: `/webhooks/${id(webhookId)}`, route: '/webhooks/{id}'}),
			create: async (body: CreateWebhook) => object<Webhook>({method: 'POST', path: '/webhooks', route: '/webhooks', body}),
			update: async (webhookId, body: UpdateWebhook) => object<Webhook>({method: 'PUT', path: `/webhooks/${id(webhookId)}`, route: '/webhooks/{id}', body}),
			async delete(webhookId) {
				await send({method: 'DELETE', path: `/webhooks/${id(webhookId)}`, route: '/webhooks/{id}'});
			},
		},
		messages: {
			get: async messageId => object<Message>({method: 'GET', path: `/messages/${id(messageId)}`, route: '/messages/{id}'}),
			create: async (body: CreateMessage) => object<Message>({method: 'POST', path: '/messages', route: '/messages', body}),
			list: (query: ListMessagesQuery) => list<Message>({path: '/messages', route: '/messages', query: {...query}}),
			listDirect: async (query: ListDirectMessagesQuery) => collect(list<Message>({path: '/messages/direct', route: '/messages/direct', query: {...query}})),
		},
		rooms: {
			get: async roomId => object<Room>({method: 'GET', path: `/rooms/${id(roomId)}`, route: '/rooms/{id}'}),
			list: (query: ListRoomsQuery = {}) => list<Room>({path: '/rooms', route: '/rooms', query: {...query}}),
		},
		memberships: {
			list: (query: ListMembershipsQuery) => list<Membership>({path: '/memberships', route: '/memberships', query: {...query}}),
		},
	};
}

/** The base URL with exactly one trailing slash, so relative paths resolve under it. */
function parseBaseUrl(baseUrl: string): URL {
	const url = new URL(baseUrl);
	url.pathname = url.pathname.replace(/\/*$/, '/');
	url.search = '';
	url.hash = '';
	return url;
}

function urlFor(base: URL, path: string, query: Query = {}): string {
	const url = new URL(path.replace(/^\//, ''), base);
	for (const [key, value] of Object.entries(query)) {
		if (value !== undefined) {
			url.searchParams.set(key, String(value));
		}
	}

	return url.href;
}

/** Ids are opaque to us; encoding keeps one that holds a `/` or `?` inside its path segment. */
function id(value: string): string {
	return encodeURIComponent(value);
}

/**
 * Next links are opaque, but the bearer token goes with every page, so a
 * link that leaves Webex's host is refused rather than followed.
 */
function sameOrigin(base: URL, url: string, call: Call): string {
	if (new URL(url).origin !== base.origin) {
		throw new WebexError({
			status: 0,
			webexMessage: 'a next-page link points at another host; not following it',
			method: call.method,
			path: call.path,
			systemCode: 'EFOREIGNLINK',
		});
	}

	return url;
}

function pageOf<T>(answer: WebexAnswer, url: string, call: Call): Page<T> {
	const body = answer.body as {items?: unknown} | undefined;
	if (!Array.isArray(body?.items)) {
		throw new WebexError({
			status: answer.status,
			webexMessage: 'the answer has no items list',
			method: call.method,
			path: call.path,
			systemCode: 'EBADPAGE',
		});
	}

	return {
		items: body.items as T[],
		// A server may send each relation (first, prev, next) in a Link header of its own: all are read, joined as one list.
		next: parseNextLink(answer.headers.all('link').join(', '), url),
	};
}
