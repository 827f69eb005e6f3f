// The durable event inbox: a delivery is stored here before Webex gets its 2xx,
// and stays until its reply is sent. Each event moves
//   pending → processing → sending → done | failed
// and every move after the claim is guarded by the claimer's lease, so a
// worker that lost its lease (it stalled, another replica took over) cannot
// write. `sending` is entered before each POST to Webex: an event found there
// after a crash may or may not have been answered, so it is reconciled first.
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type {Database} from '../source/crm/types.js';
import type {CreateMessage, RoomType} from '../source/webex/types.js';

export type InboxState = 'pending' | 'processing' | 'sending' | 'done' | 'failed';

/** What a delivery tells us, stored as received. */
export interface Delivery {
	messageId: string;
	roomId: string;
	roomType?: RoomType;
	personId: string;
	personEmail?: string;
	parentId?: string;
	/** Webex's `created` of the message (epoch ms), when known; not stored yet (the rewritten inbox keeps it). */
	createdAt?: number;
}

/** The answer decided for an event, kept until it is fully sent so a retry sends the very same words. */
export interface ReplyPlan {
	kind: 'balances' | 'help' | 'refusal';
	accountIds: string[];
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
	/** When the current step's POST began (epoch ms). */
	sendingAt?: number;
	/** Until when that POST may still be in flight. */
	inFlightUntil?: number;
	receivedAt: number;
	updatedAt: number;
}

/** `recorded`: this event now owns the reply; `taken`: another event already owns it; `lost`: our lease is gone. */
export type RecordReplyResult = 'recorded' | 'taken' | 'lost';

export interface Inbox {
	/** Stores a delivery; false when the message was already recorded (a repeated delivery). */
	record(delivery: Delivery): Promise<boolean>;
	/** Takes the next due event, atomically, for `leaseMs`; undefined when none is due. */
	claim(owner: string, leaseMs: number): Promise<InboxEvent | undefined>;
	/** Extends a held lease; false when it was lost. */
	renew(messageId: string, owner: string, leaseMs: number): Promise<boolean>;
	/** Stores the answer and enters `sending` at step 0. */
	savePlan(messageId: string, owner: string, plan: ReplyPlan): Promise<boolean>;
	/** Marks the moment the POST of `step` begins; nobody else may claim the event for `inFlightMs` (the POST's longest life). */
	beginSend(messageId: string, owner: string, step: number, inFlightMs: number): Promise<boolean>;
	/** Webex holds reply `replyId` for `step`: remember it (one event per reply) and move to the next step. */
	recordReply(messageId: string, owner: string, step: number, replyId: string): Promise<RecordReplyResult>;
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
}

interface InboxRow {
	message_id: string;
	room_id: string;
	room_type: string | null;
	person_id: string;
	person_email: string | null;
	parent_id: string | null;
	state: InboxState;
	attempts: number;
	step: number;
	plan: string | null;
	outcome: string | null;
	last_error: string | null;
	lease_owner: string | null;
	lease_until: number | string | null;
	next_attempt_at: number | string;
	sending_at: number | string | null;
	in_flight_until: number | string | null;
	received_at: number | string;
	updated_at: number | string;
}

const unfinished = "state IN ('pending', 'processing', 'sending')";
// Due: its retry time has come, nobody holds a live lease on it, and no POST of it can still be in flight.
const due = `${unfinished} AND next_attempt_at <= $1 AND COALESCE(lease_until, 0) < $1 AND COALESCE(in_flight_until, 0) < $1`;
// Claiming keeps `sending` (it must be reconciled) and turns anything else into `processing`.
const claimSet = "state = CASE WHEN state = 'sending' THEN 'sending' ELSE 'processing' END, lease_owner = $2, lease_until = $3, attempts = attempts + 1, updated_at = $1";
const held = 'message_id = $1 AND lease_owner = $2 AND lease_until IS NOT NULL';

/** GREATEST (PostgreSQL) and max() (SQLite) differ; CASE is portable. */
function greatest(a: string, b: string, c: string): string {
	const two = (x: string, y: string) => `(CASE WHEN ${x} > ${y} THEN ${x} ELSE ${y} END)`;
	return two(two(a, b), c);
}

const sql = {
	record: `INSERT INTO listener_inbox (message_id, room_id, room_type, person_id, person_email, parent_id, state, next_attempt_at, received_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7, $7) ON CONFLICT (message_id) DO NOTHING`,
	renew: `UPDATE listener_inbox SET lease_until = $3, updated_at = $4 WHERE ${held} AND ${unfinished}`,
	savePlan: `UPDATE listener_inbox SET plan = $3, state = 'sending', step = 0, sending_at = NULL, updated_at = $4 WHERE ${held} AND state = 'processing'`,
	beginSend: `UPDATE listener_inbox SET sending_at = $4, in_flight_until = $5, updated_at = $4 WHERE ${held} AND state = 'sending' AND step = $3`,
	insertReply: 'INSERT INTO listener_replies (reply_id, message_id, sent_at) VALUES ($1, $2, $3) ON CONFLICT (reply_id) DO NOTHING',
	replyOwner: 'SELECT message_id FROM listener_replies WHERE reply_id = $1',
	advance: `UPDATE listener_inbox SET step = step + 1, sending_at = NULL, in_flight_until = NULL, updated_at = $4 WHERE ${held} AND state = 'sending' AND step = $3`,
	complete: `UPDATE listener_inbox SET state = 'done', outcome = $3, plan = NULL, last_error = NULL, lease_owner = NULL, lease_until = NULL, in_flight_until = NULL, updated_at = $4 WHERE ${held} AND ${unfinished}`,
	release: `UPDATE listener_inbox SET state = CASE WHEN state = 'sending' THEN 'sending' ELSE 'pending' END, last_error = $3, next_attempt_at = $4, lease_owner = NULL, lease_until = NULL, in_flight_until = NULL, updated_at = $5 WHERE ${held} AND ${unfinished}`,
	fail: `UPDATE listener_inbox SET state = 'failed', outcome = $3, last_error = $4, plan = NULL, lease_owner = NULL, lease_until = NULL, in_flight_until = NULL, updated_at = $5 WHERE ${held} AND ${unfinished}`,
	depth: `SELECT count(*) AS n FROM listener_inbox WHERE ${unfinished}`,
	nextDue: `SELECT min(${greatest('next_attempt_at', 'COALESCE(lease_until, 0)', 'COALESCE(in_flight_until, 0)')}) AS at FROM listener_inbox WHERE ${unfinished}`,
	get: 'SELECT * FROM listener_inbox WHERE message_id = $1',
};

const claimSql = {
	sqlite: `UPDATE listener_inbox SET ${claimSet}
		WHERE message_id = (SELECT message_id FROM listener_inbox WHERE ${due} ORDER BY next_attempt_at, received_at LIMIT 1)
		RETURNING *`,
	// SKIP LOCKED: replicas claiming at once each get a different row instead of queueing on the same one.
	postgres: `UPDATE listener_inbox SET ${claimSet}
		WHERE message_id = (SELECT message_id FROM listener_inbox WHERE ${due} ORDER BY next_attempt_at, received_at LIMIT 1 FOR UPDATE SKIP LOCKED)
		RETURNING *`,
};

const optionalNumber = (value: number | string | null) => (value === null ? undefined : Number(value));

function toEvent(row: InboxRow): InboxEvent {
	return {
		messageId: row.message_id,
		roomId: row.room_id,
		...(row.room_type && {roomType: row.room_type as RoomType}),
		personId: row.person_id,
		...(row.person_email && {personEmail: row.person_email}),
		...(row.parent_id && {parentId: row.parent_id}),
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
		...(row.in_flight_until !== null && {inFlightUntil: Number(row.in_flight_until)}),
		receivedAt: Number(row.received_at),
		updatedAt: Number(row.updated_at),
	};
}

const deliveryParameters = (delivery: Delivery, now: number) => [
	delivery.messageId,
	delivery.roomId,
	delivery.roomType ?? null,
	delivery.personId,
	delivery.personEmail ?? null,
	delivery.parentId ?? null,
	now,
];

/** The inbox in the same database as the accounts (migration 002 created its tables). */
export function createInbox(database: Database, clock: () => number = Date.now): Inbox {
	return database.backend === 'sqlite' ? sqliteInbox(database.sqlite, clock) : postgresInbox(database.pool, clock);
}

/** SQLite takes `?` in order of appearance: `$n` placeholders are rewritten and their values laid out to match. */
function sqlitePrepare(db: BetterSqlite3.Database, text: string) {
	const order: number[] = [];
	const statement = db.prepare(text.replace(/\$(\d+)/g, (_match, index: string) => {
		order.push(Number(index) - 1);
		return '?';
	}));
	const bind = (parameters: unknown[]) => order.map(index => parameters[index]);
	return {
		run: (...parameters: unknown[]) => statement.run(bind(parameters)).changes,
		get: <T>(...parameters: unknown[]) => statement.get(bind(parameters)) as T | undefined,
	};
}

function sqliteInbox(db: BetterSqlite3.Database, clock: () => number): Inbox {
	const statements = Object.fromEntries(Object.entries(sql).map(([name, text]) => [name, sqlitePrepare(db, text)])) as Record<keyof typeof sql, ReturnType<typeof sqlitePrepare>>;
	const claim = sqlitePrepare(db, claimSql.sqlite);
	const recordReply = db.transaction((messageId: string, owner: string, step: number, replyId: string, now: number): RecordReplyResult => {
		statements.insertReply.run(replyId, messageId, now);
		const replyOwner = statements.replyOwner.get<{message_id: string}>(replyId)?.message_id;
		if (replyOwner !== messageId) return 'taken';
		// Rolled back with the insert when the lease is gone: another worker now decides.
		if (statements.advance.run(messageId, owner, step, now) === 1) return 'recorded';
		throw new LeaseLost();
	});
	return {
		async record(delivery) {
			return statements.record.run(...deliveryParameters(delivery, clock())) === 1;
		},
		async claim(owner, leaseMs) {
			const now = clock();
			// IMMEDIATE: several processes on one file take the write lock before choosing a row.
			const row = db.transaction(() => claim.get<InboxRow>(now, owner, now + leaseMs)).immediate();
			return row ? toEvent(row) : undefined;
		},
		async renew(messageId, owner, leaseMs) {
			const now = clock();
			return statements.renew.run(messageId, owner, now + leaseMs, now) === 1;
		},
		async savePlan(messageId, owner, plan) {
			return statements.savePlan.run(messageId, owner, JSON.stringify(plan), clock()) === 1;
		},
		async beginSend(messageId, owner, step, inFlightMs) {
			const now = clock();
			return statements.beginSend.run(messageId, owner, step, now, now + inFlightMs) === 1;
		},
		async recordReply(messageId, owner, step, replyId) {
			try {
				return recordReply.immediate(messageId, owner, step, replyId, clock());
			} catch (error) {
				if (error instanceof LeaseLost) return 'lost';
				throw error;
			}
		},
		async complete(messageId, owner, outcome) {
			return statements.complete.run(messageId, owner, outcome, clock()) === 1;
		},
		async release(messageId, owner, delayMs, error) {
			const now = clock();
			return statements.release.run(messageId, owner, error, now + delayMs, now) === 1;
		},
		async fail(messageId, owner, outcome, error) {
			return statements.fail.run(messageId, owner, outcome, error, clock()) === 1;
		},
		async depth() {
			return Number(statements.depth.get<{n: number}>()?.n ?? 0);
		},
		async nextDueAt() {
			return optionalNumber(statements.nextDue.get<{at: number | null}>()?.at ?? null);
		},
		async get(messageId) {
			const row = statements.get.get<InboxRow>(messageId);
			return row ? toEvent(row) : undefined;
		},
	};
}

class LeaseLost extends Error {}

function postgresInbox(pool: pg.Pool, clock: () => number): Inbox {
	const changed = async (text: string, parameters: unknown[]) => (await pool.query(text, parameters)).rowCount === 1;
	return {
		async record(delivery) {
			return changed(sql.record, deliveryParameters(delivery, clock()));
		},
		async claim(owner, leaseMs) {
			const now = clock();
			const {rows} = await pool.query<InboxRow>(claimSql.postgres, [now, owner, now + leaseMs]);
			return rows[0] ? toEvent(rows[0]) : undefined;
		},
		async renew(messageId, owner, leaseMs) {
			const now = clock();
			return changed(sql.renew, [messageId, owner, now + leaseMs, now]);
		},
		async savePlan(messageId, owner, plan) {
			return changed(sql.savePlan, [messageId, owner, JSON.stringify(plan), clock()]);
		},
		async beginSend(messageId, owner, step, inFlightMs) {
			const now = clock();
			return changed(sql.beginSend, [messageId, owner, step, now, now + inFlightMs]);
		},
		async recordReply(messageId, owner, step, replyId) {
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				const now = clock();
				await client.query(sql.insertReply, [replyId, messageId, now]);
				const {rows} = await client.query<{message_id: string}>(sql.replyOwner, [replyId]);
				if (rows[0]?.message_id !== messageId) {
					await client.query('ROLLBACK');
					return 'taken';
				}
				const advanced = await client.query(sql.advance, [messageId, owner, step, now]);
				if (advanced.rowCount !== 1) {
					await client.query('ROLLBACK');
					return 'lost';
				}
				await client.query('COMMIT');
				return 'recorded';
			} catch (error) {
				await client.query('ROLLBACK').catch(() => undefined);
				throw error;
			} finally {
				client.release();
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
			const {rows} = await pool.query<{n: string}>(sql.depth);
			return Number(rows[0]?.n ?? 0);
		},
		async nextDueAt() {
			const {rows} = await pool.query<{at: string | null}>(sql.nextDue);
			return optionalNumber(rows[0]?.at ?? null);
		},
		async get(messageId) {
			const {rows} = await pool.query<InboxRow>(sql.get, [messageId]);
			return rows[0] ? toEvent(rows[0]) : undefined;
		},
	};
}
