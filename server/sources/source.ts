// The event-source port, in the spirit of Slack Bolt's Receiver: each
// transport (the webhook, catch-up after downtime, Webex's websocket) turns
// what it hears into `accept(delivery)`, and knows nothing of what follows.
import type {RoomType} from '../../source/webex/types.js';

/** Which source recorded an event; kept with it, and in its audit entry. */
export type SourceKind = 'webhook' | 'catch-up' | 'websocket';

/** A message the bot was told about, as the inbox stores it. Never its text. */
export interface Delivery {
	messageId: string;
	roomId: string;
	roomType?: RoomType;
	personId: string;
	/** As the transport reported it: a hint only, never used to authorise (the worker asks Webex). */
	personEmail?: string;
	parentId?: string;
	source: SourceKind;
	/** Webex's `created` time of the message (epoch ms), when the transport knows it. */
	createdAt?: number;
}

/**
 * `received`: durably recorded, a reply will follow; `duplicate`: already
 * recorded (a redelivery, or the same message from another source);
 * `unavailable`: not recorded (the store is down): the transport must not
 * acknowledge, so that Webex (or catch-up) tries again.
 */
export type AcceptResult = 'received' | 'duplicate' | 'unavailable';

export type Accept = (delivery: Delivery) => Promise<AcceptResult>;

/** What the TUI, the banner and /readyz show about a source. */
export interface SourceStatus {
	kind: SourceKind;
	/** One line for a person, e.g. "webhook http://0.0.0.0:5000/wtwebhook" or "websocket connected". */
	summary: string;
	/** False while it cannot receive (socket down, standby replica, catch-up failing). */
	live: boolean;
	/** Where Webex must deliver, for sources that have one (the webhook's PUBLIC_URL + path). */
	targetUrl?: string;
	/** Where it listens locally, for sources that have one. */
	localUrl?: string;
}

export interface EventSource {
	readonly kind: SourceKind;
	/** Begins receiving; resolves once it is ready (listening, connected, or the first catch-up pass scheduled). */
	start(accept: Accept): Promise<void>;
	/** Stops receiving new input; resolves when it has. */
	stop(): Promise<void>;
	status(): SourceStatus;
}
