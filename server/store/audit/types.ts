// What an audit entry may hold: ids, enums and times, nothing else. There is
// no field for a figure, a message's text or a token, so none can be recorded;
// appendAuditEntry also copies only these fields and checks their shape, so an
// object that carries more (a balance, the text) loses it on the way in.
// The enums are the replier's own (server/decision.ts, server/reply.ts); the lists below are checked
// against them both ways, so the trail can never fall behind what the replier decides.
import type {AccountOutcome, DeliveredTo} from '../../decision.js';
import type {ReplyKind} from '../../reply.js';
import type {SourceKind} from '../../sources/source.js';
import type {RoomType} from '../../../source/webex/types.js';

export type {AccountOutcome, DeliveredTo, ReplyKind, RoomType, SourceKind};

/** What became of one account asked about: its balance shown, no such account, not allowed, over the limit, CRM down. */
export const accountOutcomes = ['shown', 'unknown', 'denied', 'throttled', 'crm-unavailable'] as const satisfies readonly AccountOutcome[];
export const replyKinds = ['balances', 'help', 'refusal', 'throttled', 'unavailable'] as const satisfies readonly ReplyKind[];
/**
 * Where the answer went: `direct` in the direct room it was asked in; `dm` privately to the requester
 * from a group room; `thread` in the group room's thread (help, refusals, and nothing private);
 * `room` the group room itself with figures (GLOBOBOT_GROUP_REPLY=room).
 */
export const deliveryTargets = ['direct', 'dm', 'thread', 'room'] as const satisfies readonly DeliveredTo[];

export const sourceKinds = ['webhook', 'catch-up', 'websocket'] as const satisfies readonly SourceKind[];
export const roomTypes = ['direct', 'group'] as const satisfies readonly RoomType[];

// `satisfies` keeps the lists inside the replier's types; these keep them complete (tsc fails otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type ListsAreComplete = Holds<
	Same<(typeof accountOutcomes)[number], AccountOutcome> extends true
		? Same<(typeof replyKinds)[number], ReplyKind> extends true
			? Same<(typeof deliveryTargets)[number], DeliveredTo> extends true
				? Same<(typeof sourceKinds)[number], SourceKind> extends true
					? Same<(typeof roomTypes)[number], RoomType>
					: false
				: false
			: false
		: false
>;

export interface AuditAccount {
	readonly id: string;
	readonly outcome: AccountOutcome;
}

/** One decision, as the replier hands it over. */
export interface AuditDecision {
	/** The question's Webex message id. */
	readonly eventId: string;
	readonly source: SourceKind;
	/** Canonical (lower-case) email as Webex reported it; null or absent when Webex gave none. */
	readonly requesterEmail?: string | null;
	readonly requesterId: string;
	readonly roomId: string;
	readonly roomType: RoomType;
	/** In the order asked; empty for help and for a refusal that named no account. */
	readonly accounts: readonly AuditAccount[];
	readonly reply: ReplyKind;
	readonly deliveredTo: DeliveredTo;
}

/** Rejects, at compile time, an argument with properties beyond T's (a `balance`, a `text`). */
export type Exactly<T, Shape> = T & Record<Exclude<keyof T, keyof Shape>, never>;

export const genesisHash = '0'.repeat(64);

/** The chained rows: a decision, the Webex ids of its reply once sent, and the checkpoint a prune leaves. */
export interface DecisionEntry {
	kind: 'decision';
	seq: number;
	at: string;
	eventId: string;
	source: SourceKind;
	requesterEmail: string | null;
	requesterId: string;
	roomId: string;
	roomType: RoomType;
	accounts: AuditAccount[];
	reply: ReplyKind;
	deliveredTo: DeliveredTo;
	prevHash: string;
	hash: string;
}

export interface ReplySentEntry {
	kind: 'reply-sent';
	seq: number;
	at: string;
	eventId: string;
	/** The decision entry whose reply this is. */
	decisionSeq: number;
	/** Webex message ids newly sent for it, in the order sent. */
	replyIds: string[];
	prevHash: string;
	hash: string;
}

export interface PruneEntry {
	kind: 'prune';
	seq: number;
	at: string;
	/** Entries from before this time were removed. */
	before: string;
	/** The last entry removed, and its hash: what the first remaining entry's prevHash must be. */
	throughSeq: number;
	throughHash: string;
	removed: number;
	prevHash: string;
	hash: string;
}

export type AuditEntry = DecisionEntry | ReplySentEntry | PruneEntry;

/** A decision as `audit list` shows it: with the reply ids recorded for it so far. */
export interface AuditRecord extends Omit<DecisionEntry, 'kind'> {
	replyIds: string[];
	/**
	 * Columns of a tampered row that could not be read (accounts, or some reply-sent row's ids); present
	 * only then. The list stands empty (or holds only the readable ids), so the record can still be shown.
	 */
	unreadable?: Array<'accounts' | 'replyIds'>;
}

/** A call that would put something into the trail it must not hold, or break it. */
export class AuditError extends Error {
	override name = 'AuditError';
}
