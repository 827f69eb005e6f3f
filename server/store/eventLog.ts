// The operator's view of the inbox: what happened to each event, read from
// listener_inbox (so it works against any running `serve`, any replica, and
// survives restarts), and the one thing an operator may change: a failed
// event goes back to pending, once, guarded in SQL, with the action recorded
// in the same transaction.
//
// Never the reply plan (it holds the words of the reply, balances included):
// only ids, states, counts, outcomes and error codes are read.
import {randomUUID} from 'node:crypto';
import type {SqlExecutor, SqlStore} from '../../source/sql/types.js';
import type {SourceKind} from '../sources/source.js';
import type {InboxState} from './inbox.js';

/** What `events list --state` accepts: `pending` covers `processing` too (claimed, not yet sending). */
export const stateFilters = ['pending', 'sending', 'failed', 'done'] as const;
export type StateFilter = (typeof stateFilters)[number];

const statesOf: Record<StateFilter, InboxState[]> = {pending: ['pending', 'processing'], sending: ['sending'], failed: ['failed'], done: ['done']};

/** One event as an operator sees it. No text, no figures. */
export interface EventRecord {
	id: string;
	state: InboxState;
	attempts: number;
	source: SourceKind;
	roomId: string;
	roomType?: string;
	personEmail?: string;
	outcome?: string;
	lastError?: string;
	/** Epoch ms. */
	receivedAt: number;
	updatedAt: number;
	/** When it will be tried again (unfinished events). */
	nextAttemptAt?: number;
	/** Replies Webex accepted for it so far. */
	replies: number;
}

export interface EventDetail extends EventRecord {
	replyIds: string[];
	/** Steps of the reply plan already sent (for `sending`). */
	step: number;
	/** Whether a worker holds it right now. */
	leased: boolean;
	actions: OperatorAction[];
}

export interface OperatorAction {
	at: number;
	action: string;
	operator: string;
	detail: string;
}

export interface ListFilter {
	states?: readonly StateFilter[];
	/** Received at or after (epoch ms). */
	since?: number;
	/** Default 100, newest first. */
	limit?: number;
}

/** `retried`: back to pending; `not-found`; `not-failed`: it is not failed (any more): retried by someone else, or never failed; `answered`: a reply reached Webex already, a retry could send it twice. */
export type RetryResult = {result: 'retried'; previous: {outcome?: string; lastError?: string; attempts: number}} | {result: 'not-found'} | {result: 'not-failed'; state: InboxState} | {result: 'answered'; replies: number};

export interface InboxHealth {
	/** Unfinished events due now and not held by a worker: the queue. */
	waiting: number;
	/** Unfinished events in all: pending, processing or sending. */
	pending: number;
	/** Of those, the ones tried at least once (waiting for a retry, or being retried). */
	retrying: number;
	/** Failed in the last 24 h. */
	failed24h: number;
	/** Due for longer than `overdueAfterMs` and held by nobody: no worker is taking them. */
	overdue: number;
	/** The newest event's receipt (epoch ms). */
	lastReceivedAt?: number;
	/** The most recent error recorded on an event. */
	lastError?: {id: string; error: string; at: number};
}

export interface EventLog {
	list(filter?: ListFilter): Promise<EventRecord[]>;
	get(id: string): Promise<EventDetail | undefined>;
	retry(id: string, operator: string): Promise<RetryResult>;
	/** Events changed at or after `since` (epoch ms), oldest change first: for `events tail`. */
	changedSince(since: number, limit?: number): Promise<EventRecord[]>;
	/** Counts for doctor and the health panel; `overdueAfterMs` (default 2 min) is how long a due event may wait before it counts as overdue. */
	health(overdueAfterMs?: number): Promise<InboxHealth>;
	/** Whether the listener has created its inbox in this database yet. */
	exists(): Promise<boolean>;
}

type Integer = number | string;

interface Row {
	message_id: string;
	state: InboxState;
	attempts: Integer;
	source: SourceKind;
	room_id: string;
	room_type: string | null;
	person_email: string | null;
	outcome: string | null;
	last_error: string | null;
	received_at: Integer;
	updated_at: Integer;
	next_attempt_at: Integer;
	replies: Integer;
}

const columns = `i.message_id, i.state, i.attempts, i.source, i.room_id, i.room_type, i.person_email, i.outcome, i.last_error, i.received_at, i.updated_at, i.next_attempt_at,
	(SELECT count(*) FROM listener_replies r WHERE r.message_id = i.message_id) AS replies`;
const unfinished = "state IN ('pending', 'processing', 'sending')";

const sql = {
	get: `SELECT ${columns}, i.step, i.lease_until FROM listener_inbox i WHERE i.message_id = $1`,
	replyIds: 'SELECT reply_id FROM listener_replies WHERE message_id = $1 ORDER BY sent_at, reply_id',
	actions: 'SELECT at, action, operator, detail FROM listener_operator_actions WHERE message_id = $1 ORDER BY at, id',
	changed: `SELECT ${columns} FROM listener_inbox i WHERE i.updated_at >= $1 ORDER BY i.updated_at, i.message_id LIMIT $2`,
	// The guard: only a failed event, and only one nothing was sent for. Two operators racing: one row changes.
	retry: `UPDATE listener_inbox SET state = 'pending', outcome = NULL, attempts = 0, step = 0, plan = NULL, next_attempt_at = $2,
		lease_owner = NULL, lease_until = NULL, sending_at = NULL, in_flight_until = NULL, updated_at = $2
		WHERE message_id = $1 AND state = 'failed' AND NOT EXISTS (SELECT 1 FROM listener_replies WHERE message_id = $1)`,
	recordAction: 'INSERT INTO listener_operator_actions (id, at, action, message_id, operator, detail) VALUES ($1, $2, $3, $4, $5, $6)',
	health: `SELECT
		sum(CASE WHEN ${unfinished} AND next_attempt_at <= $1 AND COALESCE(lease_until, 0) < $1 THEN 1 ELSE 0 END) AS waiting,
		sum(CASE WHEN ${unfinished} THEN 1 ELSE 0 END) AS pending,
		sum(CASE WHEN ${unfinished} AND attempts > 0 THEN 1 ELSE 0 END) AS retrying,
		sum(CASE WHEN state = 'failed' AND updated_at >= $2 THEN 1 ELSE 0 END) AS failed,
		sum(CASE WHEN ${unfinished} AND next_attempt_at <= $3 AND COALESCE(lease_until, 0) < $1 AND COALESCE(in_flight_until, 0) < $1 THEN 1 ELSE 0 END) AS overdue,
		max(received_at) AS last_received
		FROM listener_inbox`,
	lastError: 'SELECT message_id, last_error, updated_at FROM listener_inbox WHERE last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 1',
};

const optional = <T>(value: T | null | undefined) => (value === null || value === undefined ? undefined : value);

function toRecord(row: Row): EventRecord {
	const unfinishedState = row.state === 'pending' || row.state === 'processing' || row.state === 'sending';
	return {
		id: row.message_id,
		state: row.state,
		attempts: Number(row.attempts),
		source: row.source,
		roomId: row.room_id,
		...(row.room_type && {roomType: row.room_type}),
		...(row.person_email && {personEmail: row.person_email}),
		...(row.outcome && {outcome: row.outcome}),
		...(row.last_error && {lastError: row.last_error}),
		receivedAt: Number(row.received_at),
		updatedAt: Number(row.updated_at),
		...(unfinishedState && {nextAttemptAt: Number(row.next_attempt_at)}),
		replies: Number(row.replies),
	};
}

async function tableExists(db: SqlExecutor, table: string): Promise<boolean> {
	const found =
		db.dialect === 'postgres'
			? await db.get<{found: string | null}>('SELECT to_regclass($1)::text AS found', [table])
			: await db.get<{found: string}>("SELECT name AS found FROM sqlite_master WHERE type = 'table' AND name = $1", [table]);
	return Boolean(found?.found);
}

export function createEventLog(store: SqlStore, clock: () => number = Date.now): EventLog {
	return {
		async exists() {
			return tableExists(store, 'listener_inbox');
		},
		async list(filter = {}) {
			const where: string[] = [];
			const parameters: Array<string | number> = [];
			const states = [...new Set((filter.states ?? []).flatMap(state => statesOf[state]))];
			if (states.length > 0) {
				where.push(`i.state IN (${states.map(state => `'${state}'`).join(', ')})`);
			}
			if (filter.since !== undefined) {
				parameters.push(filter.since);
				where.push(`i.received_at >= $${parameters.length}`);
			}
			parameters.push(Math.max(1, Math.min(filter.limit ?? 100, 10_000)));
			const text = `SELECT ${columns} FROM listener_inbox i ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.received_at DESC, i.message_id LIMIT $${parameters.length}`;
			return (await store.all<Row>(text, parameters)).map(toRecord);
		},
		async get(id) {
			const row = await store.get<Row & {step: Integer; lease_until: Integer | null}>(sql.get, [id]);
			if (!row) return undefined;
			const replyIds = (await store.all<{reply_id: string}>(sql.replyIds, [id])).map(reply => reply.reply_id);
			const actions = (await tableExists(store, 'listener_operator_actions'))
				? (await store.all<{at: Integer; action: string; operator: string; detail: string}>(sql.actions, [id])).map(action => ({...action, at: Number(action.at)}))
				: [];
			return {...toRecord(row), replyIds, step: Number(row.step), leased: row.lease_until !== null && Number(row.lease_until) > clock(), actions};
		},
		async retry(id, operator) {
			return store.transaction(async tx => {
				const before = await tx.get<Row>(`SELECT ${columns} FROM listener_inbox i WHERE i.message_id = $1`, [id]);
				if (!before) return {result: 'not-found'};
				const record = toRecord(before);
				if (record.state !== 'failed') return {result: 'not-failed', state: record.state};
				if (record.replies > 0) return {result: 'answered', replies: record.replies};
				const now = clock();
				if ((await tx.run(sql.retry, [id, now])) !== 1) {
					const state = (await tx.get<{state: InboxState}>('SELECT state FROM listener_inbox WHERE message_id = $1', [id]))?.state ?? 'pending';
					return {result: 'not-failed', state};
				}
				const detail = `was failed: ${record.outcome ?? 'unknown'}${record.lastError && record.lastError !== record.outcome ? ` (${record.lastError})` : ''} after ${record.attempts} attempt${record.attempts === 1 ? '' : 's'}`;
				await tx.run(sql.recordAction, [randomUUID(), now, 'retry', id, operator, detail]);
				return {result: 'retried', previous: {...(record.outcome && {outcome: record.outcome}), ...(record.lastError && {lastError: record.lastError}), attempts: record.attempts}};
			});
		},
		async changedSince(since, limit = 500) {
			return (await store.all<Row>(sql.changed, [since, limit])).map(toRecord);
		},
		async health(overdueAfterMs = 120_000) {
			const now = clock();
			const row = await store.get<{waiting: Integer | null; pending: Integer | null; retrying: Integer | null; failed: Integer | null; overdue: Integer | null; last_received: Integer | null}>(sql.health, [now, now - 86_400_000, now - overdueAfterMs]);
			const last = await store.get<{message_id: string; last_error: string; updated_at: Integer}>(sql.lastError);
			const lastReceivedAt = optional(row?.last_received);
			return {
				waiting: Number(row?.waiting ?? 0),
				pending: Number(row?.pending ?? 0),
				retrying: Number(row?.retrying ?? 0),
				failed24h: Number(row?.failed ?? 0),
				overdue: Number(row?.overdue ?? 0),
				...(lastReceivedAt !== undefined && {lastReceivedAt: Number(lastReceivedAt)}),
				...(last && {lastError: {id: last.message_id, error: last.last_error, at: Number(last.updated_at)}}),
			};
		},
	};
}
