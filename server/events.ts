// What the listener tells its watchers (the TUI's activity pane, logs,
// metrics). Never message text, balances, tokens or secrets.
import type {SourceKind, SourceStatus} from './sources/source.js';
import type {WatchdogStatus} from './watchdogWiring.js';

export type ListenerOutcome =
	| 'received' // a valid delivery was recorded and answered 2xx
	| 'duplicate' // the same message was delivered again; answered 2xx, no second reply
	| 'ignored' // another resource/event, or the bot's own message
	| 'rejected' // bad/missing signature, malformed body, too large: answered 4xx
	| 'replied' // the balance (or help) reply was sent
	| 'denied' // the requester is not allowed; a refusal was sent
	| 'failed'; // the event ended without a reply (message gone, room left, Webex refused)

export interface ListenerEvent {
	outcome: ListenerOutcome;
	/** Which event source the delivery came through, when known. */
	source?: SourceKind;
	/** ISO-8601. */
	at: string;
	/** The Webex message id of the delivery, when known. */
	eventId?: string;
	requesterEmail?: string;
	/** Normalised account ids asked for. */
	accountIds?: string[];
	/** For rejected: 'bad-signature' | 'missing-signature' | 'malformed' | 'too-large' | …; for ignored: 'self' | 'other-event'; for failed: a short cause. */
	reason?: string;
	/** HTTP status answered to Webex (rejected/received) or Webex's status on failure. */
	status?: number;
	/** Delivery to reply, for replied/denied. */
	durationMs?: number;
}

export interface ListenerCounters {
	received: number;
	replied: number;
	rejected: number;
	denied: number;
	failed: number;
	duplicate: number;
	ignored: number;
}


export type ListenerEventHandler = (event: ListenerEvent) => void;

/** A running listener, headless (serve) or embedded (the TUI). Started by server/listener.ts `startListener`. */
export interface ListenerHandle {
	/** Where /healthz, /readyz and /metrics answer, whatever the event sources (the webhook also takes deliveries there). */
	readonly healthUrl: string;
	/** The address really bound, for people: "0.0.0.0:5000 (every interface)". */
	readonly boundTo: string;
	/** Where /metrics answers (METRICS_ADDRESS, or the main port). */
	readonly metricsUrl: string;
	/** Every event source, generically: the TUI shows any of them without knowing its transport (the webhook's target and local URL are in its status). */
	sources(): SourceStatus[];
	/** The bot, from people/me at start. */
	readonly bot: {id: string; displayName: string; email: string};
	counters(): ListenerCounters;
	/** Catch-up (issue 11): deliveries may have been missed (a webhook reactivated): read the gap again. Absent with GLOBOBOT_CATCH_UP=0. */
	catchUp?(reason: string): void;
	/** Resolves (never rejects) if the listener can no longer receive, e.g. the websocket's token was refused: the caller should stop. */
	readonly fatal?: Promise<Error>;
	/** Subscribe to activity; returns an unsubscribe function. */
	onEvent(handler: ListenerEventHandler): () => void;
	/** The webhook watchdog's status (server/watchdogWiring.ts), when it runs. */
	watchdog?(): WatchdogStatus;
	/** Stop accepting, finish in-flight replies within the deadline, close the database. */
	close(): Promise<void>;
}

/** The webhook target to register (PUBLIC_URL + WEBHOOK_PATH), when a source has one. */
export const targetUrlOf = (listener: Pick<ListenerHandle, 'sources'>): string | undefined => listener.sources().find(source => source.targetUrl)?.targetUrl;

/** Where the listener's HTTP server answers locally (/healthz, /metrics), when a source listens. */
export const localUrlOf = (listener: Pick<ListenerHandle, 'sources' | 'healthUrl'>): string => listener.sources().find(source => source.localUrl)?.localUrl ?? listener.healthUrl;
