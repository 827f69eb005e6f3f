// Shapes of the Webex REST resources globobot uses, as documented in
// shared/docs/webex-api.md. Optional fields are absent (never null) in Webex's
// answers, so they are optional here rather than `| null`.

export type PersonType = 'person' | 'bot' | 'appuser';

export interface Person {
	id: string;
	emails: string[];
	displayName: string;
	nickName?: string;
	firstName?: string;
	lastName?: string;
	avatar?: string;
	orgId: string;
	created: string;
	type: PersonType;
}

export type RoomType = 'direct' | 'group';

export interface Room {
	id: string;
	title: string;
	type: RoomType;
	isLocked: boolean;
	creatorId: string;
	created: string;
	lastActivity?: string;
}

export interface Membership {
	id: string;
	roomId: string;
	personId: string;
	personEmail: string;
	personDisplayName: string;
	personOrgId: string;
	isModerator: boolean;
	isMonitor: boolean;
	created: string;
}

export interface Message {
	id: string;
	parentId?: string;
	roomId: string;
	roomType: RoomType;
	toPersonId?: string;
	toPersonEmail?: string;
	text?: string;
	markdown?: string;
	html?: string;
	files?: string[];
	personId: string;
	personEmail: string;
	mentionedPeople?: string[];
	mentionedGroups?: string[];
	created: string;
	updated?: string;
}

/** Exactly one destination: a room, or a person (a private 1:1 message). */
export type MessageDestination =
	| {roomId: string; toPersonId?: never; toPersonEmail?: never}
	| {toPersonId: string; roomId?: never; toPersonEmail?: never}
	| {toPersonEmail: string; roomId?: never; toPersonId?: never};

export type CreateMessage = MessageDestination & {
	text?: string;
	markdown?: string;
	parentId?: string;
};

export type WebhookStatus = 'active' | 'inactive';

export interface Webhook {
	id: string;
	name: string;
	targetUrl: string;
	resource: string;
	event: string;
	filter?: string;
	secret?: string;
	status: WebhookStatus;
	created: string;
	ownedBy?: 'creator' | 'org';
	orgId?: string;
	createdBy?: string;
	appId?: string;
}

export interface CreateWebhook {
	name: string;
	targetUrl: string;
	resource: string;
	event: string;
	filter?: string;
	secret?: string;
}

/** PUT /webhooks/{id}: name and targetUrl are required by Webex; status can only be set to active. */
export interface UpdateWebhook {
	name: string;
	targetUrl: string;
	secret?: string;
	status?: 'active';
}

/** What Webex POSTs to a webhook's targetUrl (seed capture webhook_body.json). */
export interface WebhookEnvelope<D = MessageEventData> {
	id: string;
	name: string;
	targetUrl?: string;
	resource: string;
	event: string;
	filter?: string;
	orgId?: string;
	createdBy?: string;
	appId?: string;
	ownedBy?: string;
	status?: string;
	created?: string;
	actorId?: string;
	data: D;
}

/** `data` of a messages/created delivery: ids and metadata, never the text. */
export interface MessageEventData {
	id: string;
	roomId: string;
	roomType?: RoomType;
	personId: string;
	personEmail?: string;
	parentId?: string;
	mentionedPeople?: string[];
	created?: string;
}

/** The body of a Webex error answer (a 429 may carry no JSON at all). */
export interface WebexErrorBody {
	message: string;
	errors?: Array<{description: string}>;
	trackingId?: string;
}

/**
 * Observations the client reports, so the listener can count them in /metrics without the client knowing about Prometheus.
 * `path` is the route with ids as placeholders (`/webhooks/{id}`, `/messages`), never a query: safe as a metrics label.
 * `attempt` in onRetry is the 1-based attempt that just failed, which is also the number of the retry about to happen.
 */
export interface WebexClientObserver {
	/** A request finished (any status); `status` is 0 for a network error or timeout; `date` is Webex's `Date` header, when it answered; `trackingId` Webex's (else the one sent), to quote to Webex support. */
	onResponse?(info: {method: string; path: string; status: number; durationMs: number; date?: string; trackingId?: string}): void;
	/** The client is about to wait `delayMs` and try again. */
	onRetry?(info: {method: string; path: string; status: number; attempt: number; delayMs: number}): void;
}

export interface WebexClientOptions {
	/** Base URL including the version, e.g. https://webexapis.com/v1 (no trailing slash needed). */
	baseUrl: string;
	token: string;
	/** Per-attempt timeout. Default 10 s. */
	timeoutMs?: number;
	/** Retries after the first attempt for 429/5xx/network errors. Default 5. `Infinity` for a worker that must not drop a reply. */
	retries?: number;
	/** Backoff base and cap for 5xx/network errors (exponential with full jitter). Defaults 500 ms / 30 s. */
	minBackoffMs?: number;
	maxBackoffMs?: number;
	/** Wait used for a 429 whose Retry-After is missing or not a number. Default 15 s (as WebexPythonSDK). */
	defaultRetryAfterMs?: number;
	/** A longer Retry-After gives the call up at once with a rate-limited WebexError (retryAfterMs = this). Default 5 min. */
	maxRetryAfterMs?: number;
	/** Aborts waits and requests, e.g. at shutdown. */
	signal?: AbortSignal;
	observer?: WebexClientObserver;
	/** HTTPS_PROXY: every request through a CONNECT tunnel (dispatcher.ts). Default: a keep-alive pool of the client's own. */
	proxyUrl?: string;
	/** NO_PROXY: hosts reached directly although proxyUrl is set. */
	noProxy?: string;
	/** Sockets per origin at most. Default 64. */
	maxSockets?: number;
}

export interface ListWebhooksQuery {
	max?: number;
}

export interface ListMessagesQuery {
	roomId: string;
	mentionedPeople?: string;
	parentId?: string;
	/** ISO time: only messages created before it. */
	before?: string;
	/** A message id: only messages created before that one. */
	beforeMessage?: string;
	max?: number;
}

/** GET /rooms: the rooms the caller is in; `lastactivity` puts the most recently active first (§3.6). */
export interface ListRoomsQuery {
	type?: RoomType;
	sortBy?: 'id' | 'lastactivity' | 'created';
	/** 1..1000. */
	max?: number;
}

export interface ListDirectMessagesQuery {
	personId?: string;
	personEmail?: string;
	parentId?: string;
}

export interface ListMembershipsQuery {
	roomId?: string;
	personId?: string;
	personEmail?: string;
	max?: number;
}

/**
 * One method per Webex call the product makes. Every method rejects with a
 * WebexError (source/webex/errors.ts) when Webex answers non-2xx after retries.
 */
export interface WebexClient {
	readonly baseUrl: string;
	people: {
		me(): Promise<Person>;
		list(query: {email?: string; displayName?: string; id?: string}): Promise<Person[]>;
		get(personId: string): Promise<Person>;
	};
	webhooks: {
		/** Follows `Link: rel="next"` across every page. */
		list(query?: ListWebhooksQuery): AsyncIterable<Webhook>;
		get(id: string): Promise<Webhook>;
		create(body: CreateWebhook): Promise<Webhook>;
		update(id: string, body: UpdateWebhook): Promise<Webhook>;
		delete(id: string): Promise<void>;
	};
	messages: {
		get(id: string): Promise<Message>;
		create(body: CreateMessage): Promise<Message>;
		/** Newest first; follows pages lazily. */
		list(query: ListMessagesQuery): AsyncIterable<Message>;
		listDirect(query: ListDirectMessagesQuery): Promise<Message[]>;
	};
	rooms: {
		get(id: string): Promise<Room>;
		/** Follows pages lazily: a caller that stops early fetches nothing more. */
		list(query?: ListRoomsQuery): AsyncIterable<Room>;
	};
	memberships: {
		list(query: ListMembershipsQuery): AsyncIterable<Membership>;
	};
}
