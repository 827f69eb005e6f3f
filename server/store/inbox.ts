// The durable event inbox: a delivery is stored here before its source
// acknowledges it, and stays until its reply is sent. Each event moves
//   pending → processing → sending → done | failed
// and every move after the claim is guarded by the claimer's lease, so a
// worker that lost its lease (it stalled, another replica took over) cannot
// write. `sending` is entered before each POST to Webex: an event found there
// after a crash may or may not have been answered, so it is reconciled first.
//
// Written once on the SQL seam; only the claim differs by dialect.
import type {SqlExecutor, SqlStore} from '../../source/sql/types.js';
import type {CreateMessage, RoomType} from '../../source/webex/types.js';
import type {Delivery, SourceKind} from '../sources/source.js';

export type InboxState = 'pending' | 'processing' | 'sending' | 'done' | 'failed';

/** What the inbox records: a delivery, its source defaulting to the webhook. */
export type InboxDelivery = Omit<Delivery, 'source'> & {source?: SourceKind};

/** What the replier decided for an event, kept until it is fully sent so a retry sends the very same words. */
export interface ReplyPlan {
	kind: 'balances' | 'help' | 'refusal' | 'throttled' | 'unavailable';
	accountIds: string[];
	/** Webex's `created` of the question (epoch ms): no reply to it can be older. */
	askedAt?: number;
	requesterEmail?: string;
	messages: CreateMessage[];
}

export interface InboxEvent extends Delivery {
	state: InboxState;
	attempts: number;
	/** Messages of the plan already accepted by Webex. */
	step: number;
	plan?: ReplyPlan;
	outcome?: string;
	lastError?: string;
	leaseOwner?: string;
	leaseUntil?: number;
	nextAttemptAt: number;
	/** When the current step's POST began (epoch ms, our clock). */
	sendingAt?: number;
	/** A lower bound of that moment on Webex's clock: no message created before it can be that POST's. */
	sendingAfter?: number;
	/** Until when that POST may still be in flight. */
	inFlightUntil?: number;
	receivedAt: number;
	updatedAt: number;
}

/** `recorded`: this event now owns the reply; `taken`: another event already owns it; `lost`: our lease is gone. */
export type RecordReplyResult = 'recorded' | 'taken' | 'lost';

export interface Inbox {
	/** Stores a delivery; false when the message was already recorded (a repeated delivery, or another source's). */
	record(delivery: InboxDelivery): Promise<boolean>;
	/** Takes the next due event, atomically, for `leaseMs`; undefined when none is due. */
	claim(owner: string, leaseMs: number): Promise<InboxEvent | undefined>;
	/**
	 * Takes up to `max` due events at once, oldest due first. `abandoned: false`
	 * takes free events only, without looking through the leased ones (a
	 * worker claiming many times a second looks for abandoned ones now and then).
	 */
	claimMany(owner: string, leaseMs: number, max: number, options?: {abandoned?: boolean}): Promise<InboxEvent[]>;
	/** Extends a held lease; false when it was lost. */
	renew(messageId: string, owner: string, leaseMs: number): Promise<boolean>;
	/**
	 * Stores the answer and enters `sending` at step 0. `within` runs in the same
	 * transaction (the audit trail and the throttle's counts write there), only
	 * when the plan was saved; when it throws, nothing is saved. `begin`: the
	 * POST of step 0 starts as soon as this commits, so its beginSend is made
	 * here too (one transaction fewer per reply).
	 */
	savePlan(messageId: string, owner: string, plan: ReplyPlan, within?: (tx: SqlExecutor) => Promise<void>, begin?: {inFlightMs: number; sendingAfter?: number}): Promise<boolean>;
	/**
	 * Marks the moment the POST of `step` begins; nobody may claim the event for
	 * `inFlightMs` (the POST's longest life), even after a release.
	 * `sendingAfter`: that moment's lower bound on Webex's clock.
	 */
	beginSend(messageId: string, owner: string, step: number, inFlightMs: number, sendingAfter?: number): Promise<boolean>;
	/**
	 * Webex answered the POST of `step` without creating a message: `not-sent`
	 * (a 4xx: nothing to reconcile, the next attempt posts at once), or
	 * `answered` (a 5xx: the request is over, so no need to wait out its
	 * in-flight window, but it is still reconciled).
	 */
	settleSend(messageId: string, owner: string, step: number, how: 'not-sent' | 'answered'): Promise<boolean>;
	/**
	 * Webex holds reply `replyId` for `step`: remember it (one event per reply) and move to the next step.
	 * `completeAs`: that was the plan's last message, so the event is done, with this outcome, in the same transaction.
	 */
	recordReply(messageId: string, owner: string, step: number, replyId: string, within?: (tx: SqlExecutor) => Promise<void>, completeAs?: string): Promise<RecordReplyResult>;
	complete(messageId: string, owner: string, outcome: string): Promise<boolean>;
	/** Gives the event back to be tried again after `delayMs` (a `sending` event stays `sending`, to be reconciled). */
	release(messageId: string, owner: string, delayMs: number, error: string): Promise<boolean>;
	/** Ends the event without a reply. */
	fail(messageId: string, owner: string, outcome: string, error: string): Promise<boolean>;
	/** Events not yet done or failed. */
	depth(): Promise<number>;
	/** The earliest time an unfinished event becomes claimable (epoch ms), if any. */
	nextDueAt(): Promise<number | undefined>;
	get(messageId: string): Promise<InboxEvent | undefined>;
	/**
	 * Forgets events finished more than `retentionMs` ago, and the reply
	 * records that no unfinished event could still reconcile against (sent
	 * before the oldest unfinished event arrived, less the old skew allowance).
	 * Unfinished events are never removed; a finished one is kept while it may
	 * still be delivered again (retention is at least a day, see retention.ts).
	 */
	prune(retentionMs: number): Promise<{events: number; replies: number}>;
}

type Integer = number | string;

interface InboxRow {
	message_id: string;
	room_id: string;
	room_type: string | null;
	person_id: string;
	person_email: string | null;
	parent_id: string | null;
	source: SourceKind;
	created_at: Integer | null;
	state: InboxState;
	attempts: Integer;
	step: Integer;
	plan: string | null;
	outcome: string | null;
	last_error: string | null;
	lease_owner: string | null;
	lease_until: Integer | null;
	next_attempt_at: Integer;
	sending_at: Integer | null;
	sending_after: Integer | null;
	in_flight_until: Integer | null;
	received_at: Integer;
	updated_at: Integer;
}

const unfinished = "state IN ('pending', 'processing', 'sending')";
// Due: its retry time has come and no POST of it can still be in flight; and it is free (nobody leases it), or
// abandoned (its lease expired, or its owner's heartbeat stopped before $4). Free rows have an index of their own
// (inbox/5-free-index): with hundreds of events in flight, finding the next free one among the leased ones was
// most of a claim's cost, so a busy worker looks through the leased ones for abandoned events only now and then.
const dueNow = `${unfinished} AND next_attempt_at <= $1 AND COALESCE(in_flight_until, 0) < $1`;
const free = `${dueNow} AND lease_owner IS NULL`;
const abandoned = `${dueNow} AND lease_owner IS NOT NULL
	AND (COALESCE(lease_until, 0) < $1 OR lease_owner IN (SELECT owner FROM listener_heartbeats WHERE beat_at < $4))`;
// Claiming keeps `sending` (it must be reconciled) and turns anything else into `processing`.
const claimSet = "state = CASE WHEN state = 'sending' THEN 'sending' ELSE 'processing' END, lease_owner = $2, lease_until = $3, attempts = attempts + 1, updated_at = $1";
const held = 'message_id = $1 AND lease_owner = $2 AND lease_until IS NOT NULL';

/** GREATEST (PostgreSQL) and max() (SQLite) differ; CASE is portable. */
function greatest(a: string, b: string, c: string): string {
	const two = (x: string, y: string) => `(CASE WHEN ${x} > ${y} THEN ${x} ELSE ${y} END)`;
	return two(two(a, b), c);
}

const sql = {
	record: `INSERT INTO listener_inbox (message_id, room_id, room_type, person_id, person_email, parent_id, source, created_at, state, next_attempt_at, received_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9, $9) ON CONFLICT (message_id) DO NOTHING`,
	renew: `UPDATE listener_inbox SET lease_until = $3, updated_at = $4 WHERE ${held} AND ${unfinished}`,
	savePlan: `UPDATE listener_inbox SET plan = $3, state = 'sending', step = 0, sending_at = NULL, updated_at = $4 WHERE ${held} AND state = 'processing'`,
	savePlanSending: `UPDATE listener_inbox SET plan = $3, state = 'sending', step = 0, sending_at = $4, in_flight_until = $5, sending_after = $6, updated_at = $4 WHERE ${held} AND state = 'processing'`,
	beginSend: `UPDATE listener_inbox SET sending_at = $4, in_flight_until = $5, sending_after = $6, updated_at = $4 WHERE ${held} AND state = 'sending' AND step = $3`,
	notSent: `UPDATE listener_inbox SET sending_at = NULL, sending_after = NULL, in_flight_until = NULL, updated_at = $4 WHERE ${held} AND state = 'sending' AND step = $3`,
	answered: `UPDATE listener_inbox SET in_flight_until = NULL, updated_at = $4 WHERE ${held} AND state = 'sending' AND step = $3`,
	insertReply: 'INSERT INTO listener_replies (reply_id, message_id, sent_at) VALUES ($1, $2, $3) ON CONFLICT (reply_id) DO NOTHING',
	replyOwner: 'SELECT message_id FROM listener_replies WHERE reply_id = $1',
	advance: `UPDATE listener_inbox SET step = step + 1, sending_at = NULL, sending_after = NULL, in_flight_until = NULL, updated_at = $4 WHERE ${held} AND state = 'sending' AND step = $3`,
	complete: `UPDATE listener_inbox SET state = 'done', outcome = $3, plan = NULL, last_error = NULL, lease_owner = NULL, lease_until = NULL, in_flight_until = NULL, updated_at = $4 WHERE ${held} AND ${unfinished}`,
	// in_flight_until is kept: a POST Webex may still apply is neither retried nor reconciled before its window ends.
	release: `UPDATE listener_inbox SET state = CASE WHEN state = 'sending' THEN 'sending' ELSE 'pending' END, last_error = $3, next_attempt_at = $4, lease_owner = NULL, lease_until = NULL, updated_at = $5 WHERE ${held} AND ${unfinished}`,
	fail: `UPDATE listener_inbox SET state = 'failed', outcome = $3, last_error = $4, plan = NULL, lease_owner = NULL, lease_until = NULL, in_flight_until = NULL, updated_at = $5 WHERE ${held} AND ${unfinished}`,
	depth: `SELECT count(*) AS n FROM listener_inbox WHERE ${unfinished}`,
	nextDue: `SELECT min(${greatest('next_attempt_at', 'COALESCE(lease_until, 0)', 'COALESCE(in_flight_until, 0)')}) AS at FROM listener_inbox WHERE ${unfinished}`,
	get: 'SELECT * FROM listener_inbox WHERE message_id = $1',
	pruneEvents: "DELETE FROM listener_inbox WHERE state IN ('done', 'failed') AND updated_at < $1",
	oldestUnfinished: `SELECT min(received_at) AS at FROM listener_inbox WHERE ${unfinished}`,
	pruneReplies: 'DELETE FROM listener_replies WHERE sent_at < $1 AND message_id NOT IN (SELECT message_id FROM listener_inbox)',
};

/** Reply records younger than this before the oldest unfinished event are kept (the skew events of older versions reconcile with). */
const replyMarginMs = 5 * 60_000;

/**
 * PostgreSQL: claims up to `limit` rows matching `which`, oldest due first, in one statement. SKIP LOCKED:
 * replicas claiming at once each get different rows instead of queueing on the same ones.
 */
const claimSql = (which: string, limit: string) =>
	`UPDATE listener_inbox SET ${claimSet}
		WHERE message_id IN (SELECT message_id FROM listener_inbox WHERE ${which} ORDER BY next_attempt_at, received_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
		RETURNING *`;

/**
 * SQLite, inside BEGIN IMMEDIATE (nobody else can write meanwhile): the rows are picked, then each is updated by
 * its rowid. The same UPDATE … WHERE rowid IN (subquery) RETURNING * cost four times as much CPU per claim.
 */
const pickSql = (which: string) => `SELECT rowid AS id FROM listener_inbox WHERE ${which} ORDER BY next_attempt_at, received_at LIMIT $5`;
const takeSql = `UPDATE listener_inbox SET ${claimSet} WHERE rowid = $4 RETURNING *`;

const optionalNumber = (value: Integer | null | undefined) => (value === null || value === undefined ? undefined : Number(value));

function toEvent(row: InboxRow): InboxEvent {
	return {
		messageId: row.message_id,
		roomId: row.room_id,
		...(row.room_type && {roomType: row.room_type as RoomType}),
		personId: row.person_id,
		...(row.person_email && {personEmail: row.person_email}),
		...(row.parent_id && {parentId: row.parent_id}),
		source: row.source,
		...(row.created_at !== null && {createdAt: Number(row.created_at)}),
		state: row.state,
		attempts: Number(row.attempts),
		step: Number(row.step),
		...(row.plan && {plan: JSON.parse(row.plan) as ReplyPlan}),
		...(row.outcome && {outcome: row.outcome}),
		...(row.last_error && {lastError: row.last_error}),
		...(row.lease_owner && {leaseOwner: row.lease_owner}),
		...(row.lease_until !== null && {leaseUntil: Number(row.lease_until)}),
		nextAttemptAt: Number(row.next_attempt_at),
		...(row.sending_at !== null && {sendingAt: Number(row.sending_at)}),
		...(row.sending_after !== null && row.sending_after !== undefined && {sendingAfter: Number(row.sending_after)}),
		...(row.in_flight_until !== null && {inFlightUntil: Number(row.in_flight_until)}),
		receivedAt: Number(row.received_at),
		updatedAt: Number(row.updated_at),
	};
}

/** Thrown inside a transaction to roll it back when the lease turns out to be gone. */
class LeaseLost extends Error {}

export interface InboxOptions {
	/** An owner whose heartbeat (heartbeats.ts) is older than this is dead: its leases are free. Default 3 s. */
	deadAfterMs?: number;
}

/** The inbox on a store whose listener migrations have run (server/store/migrations/). */
export function createInbox(store: SqlStore, clock: () => number = Date.now, options: InboxOptions = {}): Inbox {
	const deadAfterMs = options.deadAfterMs ?? 3000;
	const claims = {free: claimSql(free, '$4'), abandoned: claimSql(abandoned, '$5')};
	const picks = {free: pickSql(free), abandoned: pickSql(abandoned)};
	const claimMany = async (owner: string, leaseMs: number, max: number, options: {abandoned?: boolean} = {}): Promise<InboxEvent[]> => {
		const now = clock();
		const leaseUntil = now + leaseMs;
		// Abandoned events first: they are the oldest due.
		const scan = options.abandoned ?? true;
		const deadBefore = now - deadAfterMs;
		const claimOnPostgres = async (via: SqlExecutor) => {
			const taken = scan ? await via.all<InboxRow>(claims.abandoned, [now, owner, leaseUntil, deadBefore, max]) : [];
			return taken.length < max ? [...taken, ...(await via.all<InboxRow>(claims.free, [now, owner, leaseUntil, max - taken.length]))] : taken;
		};
		const claimOnSqlite = async (via: SqlExecutor) => {
			const pick = async (which: string, limit: number) => via.all<{id: number}>(which, [now, owner, leaseUntil, deadBefore, limit]);
			const ids = scan ? await pick(picks.abandoned, max) : [];
			if (ids.length < max) ids.push(...(await pick(picks.free, max - ids.length)));
			const rows: InboxRow[] = [];
			for (const {id} of ids) {
				const row = await via.get<InboxRow>(takeSql, [now, owner, leaseUntil, id]);
				if (row) rows.push(row);
			}
			return rows;
		};
		// SQLite: in one transaction (BEGIN IMMEDIATE), so several processes on one file take the write lock before choosing rows.
		const rows = store.dialect === 'sqlite' ? await store.transaction(claimOnSqlite) : await claimOnPostgres(store);
		return rows.map(row => toEvent(row)).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.receivedAt - b.receivedAt);
	};
	const changed = async (text: string, parameters: Array<string | number | null>, via: SqlExecutor = store) => (await via.run(text, parameters)) === 1;
	return {
		async record(delivery) {
			const now = clock();
			return changed(sql.record, [
				delivery.messageId,
				delivery.roomId,
				delivery.roomType ?? null,
				delivery.personId,
				delivery.personEmail ?? null,
				delivery.parentId ?? null,
				delivery.source ?? 'webhook',
				delivery.createdAt ?? null,
				now,
			]);
		},
		claim: async (owner, leaseMs) => (await claimMany(owner, leaseMs, 1))[0],
		claimMany,
		async renew(messageId, owner, leaseMs) {
			const now = clock();
			return changed(sql.renew, [messageId, owner, now + leaseMs, now]);
		},
		async savePlan(messageId, owner, plan, within, begin) {
			const now = clock();
			const [text, parameters] = begin
				? [sql.savePlanSending, [messageId, owner, JSON.stringify(plan), now, now + begin.inFlightMs, begin.sendingAfter ?? null]]
				: [sql.savePlan, [messageId, owner, JSON.stringify(plan), now]];
			if (!within) return changed(text, parameters);
			return store.transaction(async tx => {
				if (!(await changed(text, parameters, tx))) return false;
				await within(tx);
				return true;
			});
		},
		async beginSend(messageId, owner, step, inFlightMs, sendingAfter) {
			const now = clock();
			return changed(sql.beginSend, [messageId, owner, step, now, now + inFlightMs, sendingAfter ?? null]);
		},
		async settleSend(messageId, owner, step, how) {
			return changed(how === 'not-sent' ? sql.notSent : sql.answered, [messageId, owner, step, clock()]);
		},
		async recordReply(messageId, owner, step, replyId, within, completeAs) {
			try {
				return await store.transaction(async tx => {
					const now = clock();
					await tx.run(sql.insertReply, [replyId, messageId, now]);
					const replyOwner = (await tx.get<{message_id: string}>(sql.replyOwner, [replyId]))?.message_id;
					if (replyOwner !== messageId) return 'taken';
					// Rolled back with the insert when the lease is gone: another worker now decides.
					if (!(await changed(sql.advance, [messageId, owner, step, now], tx))) throw new LeaseLost();
					if (completeAs !== undefined && !(await changed(sql.complete, [messageId, owner, completeAs, now], tx))) throw new LeaseLost();
					await within?.(tx);
					return 'recorded';
				});
			} catch (error) {
				if (error instanceof LeaseLost) return 'lost';
				throw error;
			}
		},
		async complete(messageId, owner, outcome) {
			return changed(sql.complete, [messageId, owner, outcome, clock()]);
		},
		async release(messageId, owner, delayMs, error) {
			const now = clock();
			return changed(sql.release, [messageId, owner, error, now + delayMs, now]);
		},
		async fail(messageId, owner, outcome, error) {
			return changed(sql.fail, [messageId, owner, outcome, error, clock()]);
		},
		async depth() {
			return Number((await store.get<{n: Integer}>(sql.depth))?.n ?? 0);
		},
		async nextDueAt() {
			return optionalNumber((await store.get<{at: Integer | null}>(sql.nextDue))?.at);
		},
		async get(messageId) {
			const row = await store.get<InboxRow>(sql.get, [messageId]);
			return row ? toEvent(row) : undefined;
		},
		async prune(retentionMs) {
			return store.transaction(async tx => {
				const cutoff = clock() - retentionMs;
				const events = await tx.run(sql.pruneEvents, [cutoff]);
				const oldest = optionalNumber((await tx.get<{at: Integer | null}>(sql.oldestUnfinished))?.at);
				const replyCutoff = Math.min(cutoff, oldest === undefined ? cutoff : oldest - replyMarginMs);
				const replies = await tx.run(sql.pruneReplies, [replyCutoff]);
				return {events, replies};
			});
		},
	};
}
