// What the replier decided for one event, handed to `onDecided` inside the
// transaction that saves the plan: the audit trail attaches there. Ids,
// outcomes and places only; never a figure or the message text.
import type {RoomType} from '../source/webex/types.js';
import type {Requester} from './policy/policy.js';
import type {ReplyKind} from './reply.js';
import type {SourceKind} from './sources/source.js';
import type {SqlExecutor} from './store/sql.js';

/** What became of one account id asked about. */
export type AccountOutcome = 'shown' | 'unknown' | 'denied' | 'throttled' | 'crm-unavailable';

/** Where the answer went: the direct room asked in, a private message (figures from a group room), the question's thread, or the room itself. */
export type DeliveredTo = 'direct' | 'dm' | 'thread' | 'room';

export interface Decision {
	/** The Webex message id of the question. */
	eventId: string;
	source: SourceKind;
	requester: Requester;
	roomId: string;
	roomType: RoomType;
	accounts: Array<{id: string; outcome: AccountOutcome}>;
	reply: ReplyKind;
	deliveredTo: DeliveredTo;
	/** When it was decided (the replier's clock, epoch ms). */
	decidedAt: number;
}

/** Called once per decision, in the plan's transaction: throwing rolls the plan back and the event is retried. */
export type OnDecided = (decision: Decision, tx: SqlExecutor) => Promise<void>;

/** Called once per reply Webex accepted (or found by reconciliation), in the transaction that records it: the audit's reply ids. */
export type OnReplied = (eventId: string, replyId: string, tx: SqlExecutor) => Promise<void>;
