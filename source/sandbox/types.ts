// The programmatic face of the Webex sandbox: what the demo, the tests and
// operators' rehearsal scripts use besides its HTTP API. The sandbox is an
// independent Webex: it imports nothing of globobot's client or listener.
import type {SandboxWebsocket} from './websocket/index.js';

export interface SandboxOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Added to every REST answer (not to deliveries), to model a cloud round trip. */
	latencyMs?: number;
	/** How long a delivery waits for the target's answer before it counts as failed. Default 10 s. */
	deliveryTimeoutMs?: number;
	/** Failed deliveries within `autoDisableWindowMs` that make a webhook inactive. Defaults 100 / 5 min (Webex's rule). */
	autoDisableThreshold?: number;
	autoDisableWindowMs?: number;
	/** Probation after reactivation, during which one failure disables again. Default 5 min. */
	probationMs?: number;
	/** Also send an `X-Webex-Signature` header (same value) on deliveries, for robustness rehearsals. */
	extraSignatureHeader?: boolean;
	/**
	 * Rehearses Webex's historical quirk (§5, [T]): next-page links of GET /messages that lost `mentionedPeople`,
	 * so a bot following them in a group room gets 403. Off by default (WebexPythonSDK notes it no longer happens).
	 */
	nextLinksDropMentionedPeople?: boolean;
	/** Devices one person may register with the device service before "excessive device registrations". Default 100. */
	maxDevices?: number;
}

export interface SandboxPerson {
	id: string;
	emails: string[];
	displayName: string;
	firstName?: string;
	lastName?: string;
	orgId: string;
	created: string;
	type: 'person' | 'bot';
}

export interface SandboxRoom {
	id: string;
	title: string;
	type: 'direct' | 'group';
	isLocked: boolean;
	creatorId: string;
	created: string;
	lastActivity?: string;
}

/** A message as stored; GET /messages/{id} answers with these fields (absent ones omitted). */
export interface SandboxMessage {
	id: string;
	parentId?: string;
	roomId: string;
	roomType: 'direct' | 'group';
	toPersonId?: string;
	toPersonEmail?: string;
	text?: string;
	markdown?: string;
	html?: string;
	personId: string;
	personEmail: string;
	mentionedPeople?: string[];
	/** Webex's own URLs for the attached file (`<api>/contents/{id}`): one at most. */
	files?: string[];
	created: string;
}

export interface SandboxWebhook {
	id: string;
	name: string;
	targetUrl: string;
	resource: string;
	event: string;
	filter?: string;
	secret?: string;
	status: 'active' | 'inactive';
	created: string;
	ownedBy: 'creator' | 'org';
	orgId: string;
	createdBy: string;
	appId: string;
}

/** One attempt to POST a delivery to a webhook's target. */
export interface DeliveryRecord {
	webhookId: string;
	messageId: string;
	targetUrl: string;
	/** The exact bytes sent. */
	body: string;
	signature?: string;
	/** The target's status, or 0 when unreachable, timed out or dropped by a fault. */
	status: number;
	ok: boolean;
	at: string;
	durationMs: number;
}

/**
 * A fault applies to REST requests (not deliveries) matching `method` and `path`
 * (`path` is matched against the URL path after /v1, e.g. '/messages' or /^\/messages\//),
 * or to deliveries when `target: 'delivery'`.
 */
export interface FaultRule {
	target?: 'rest' | 'delivery' | 'websocket';
	/**
	 * For `target: 'websocket'`: `drop` closes a device's socket abruptly instead of sending the next activity frame
	 * (the frame stays unacknowledged, redelivered on reconnect); `silent-pong` leaves a ping unanswered;
	 * `ignore-ack` forgets an acknowledgement, so the frame is redelivered on the next connection.
	 */
	websocket?: 'drop' | 'silent-pong' | 'ignore-ack';
	method?: string;
	path?: string | RegExp;
	/** Answer with this status instead of serving the request: 429 (with Retry-After), 500, 502, 503, 504. */
	status?: number;
	/** Seconds, for 429 (default 1). A string is sent as is, to rehearse malformed values. */
	retryAfter?: number | string;
	/** Wait this long before answering (or before delivering). */
	delayMs?: number;
	/** For deliveries: don't send it at all (it counts as a failed delivery). */
	drop?: boolean;
	/** How many matching requests this rule applies to; default unlimited. */
	times?: number;
	/** Chance (0..1) that a matching request is affected; default 1. */
	probability?: number;
}

export interface SandboxIdentity {
	person: SandboxPerson;
	/** Bearer token for this person. */
	token: string;
}

export interface SendMessageInput {
	roomId?: string;
	toPersonId?: string;
	toPersonEmail?: string;
	text?: string;
	/** Mentions as Webex markdown: <@personId:ID|Label> or <@personEmail:a@b.c|Label>. */
	markdown?: string;
	parentId?: string;
	/** A public URL of a file to attach, as Webex takes it: one at most. */
	files?: string[];
}

export interface Sandbox {
	/** Base URL of the REST API, including /v1, e.g. http://127.0.0.1:40123/v1. */
	readonly url: string;
	close(): Promise<void>;

	/** `id` and `token` may be given, so a rehearsal's people survive a restart (`sandbox --state`); by default both are minted. */
	createPerson(input: {displayName: string; email: string; type?: 'person' | 'bot'; id?: string; token?: string}): SandboxIdentity;
	/** Creates a room with the given members (the first is its creator); `id` may be given, as for people. */
	createRoom(input: {title: string; type?: 'group' | 'direct'; memberIds: string[]; id?: string}): SandboxRoom;
	/** The 1:1 room of two people, created on first use. */
	directRoom(personIdA: string, personIdB: string): SandboxRoom;
	/** Posts as the token's owner through the same code path as POST /v1/messages (mentions rendered, deliveries fired). */
	sendMessage(token: string, input: SendMessageInput): Promise<SandboxMessage>;

	/** Inspection. */
	people(): SandboxPerson[];
	rooms(): SandboxRoom[];
	messages(filter?: {roomId?: string; personId?: string; parentId?: string}): SandboxMessage[];
	webhooks(): SandboxWebhook[];
	deliveries(): DeliveryRecord[];
	/** Called after each delivery attempt; returns an unsubscribe function. */
	onDelivery(listener: (record: DeliveryRecord) => void): () => void;
	/** Called after each message is created (by HTTP or sendMessage); returns an unsubscribe function. */
	onMessage(listener: (message: SandboxMessage) => void): () => void;
	/** Resolves once every delivery started so far has finished. */
	idle(): Promise<void>;

	faults: {
		add(rule: FaultRule): () => void;
		clear(): void;
	};
	setLatency(ms: number): void;
	/** Websocket ("Mercury") delivery: devices, sockets and their faults (source/sandbox/websocket/). */
	websocket: SandboxWebsocket;
}

export type {SandboxWebsocket} from './websocket/index.js';
