// The throttle's counts, kept in the shared database so that every replica
// sees what the others recorded. One row per recorded question and limit
// (a sliding-window log): the rows inside a window are its count, and the
// oldest of them say when the window has room again.
import {migrateStore, type StoreMigration} from '../../source/sql/migrate.js';
import type {SqlExecutor, SqlStore} from '../../source/sql/types.js';

export const throttleMigrations: readonly StoreMigration[] = [
	{
		name: 'throttle/1-counts',
		sql: [
			// `at` in epoch milliseconds: BIGINT on PostgreSQL, an INTEGER on SQLite.
			'CREATE TABLE throttle_counts (requester TEXT NOT NULL, kind TEXT NOT NULL, at BIGINT NOT NULL, n INTEGER NOT NULL);',
			'CREATE INDEX throttle_counts_window ON throttle_counts (requester, kind, at);',
		].join('\n'),
	},
	{
		// Which question (event id) took a row: an event that is retried takes nothing twice.
		name: 'throttle/2-question',
		sql: 'ALTER TABLE throttle_counts ADD COLUMN question TEXT;',
	},
];

export interface CountRow {
	at: number;
	n: number;
}

export interface ThrottleStore {
	/**
	 * Runs `work` in a transaction that holds this requester's counts alone until it commits: on
	 * PostgreSQL an advisory lock per requester (other replicas wait), on SQLite the write lock that
	 * every transaction takes. So a read of the counts and the row that follows from it are one step.
	 */
	serialised<T>(requester: string, work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
	/** Every limit's counts of one requester after `after` (exclusive), oldest first: one read for all of a check. */
	recent(requester: string, after: number, via?: SqlExecutor): Promise<Array<CountRow & {kind: string; question: string | undefined}>>;
	/** Records counts (n > 0 only) at `at`, for `question` when given, and forgets this requester's rows older than `forgetBefore`; inside `via` when given, else in a transaction of its own. */
	add(requester: string, counts: ReadonlyArray<{kind: string; n: number}>, at: number, forgetBefore: number, via?: SqlExecutor, question?: string): Promise<void>;
	/** Forgets every count of the requester; returns how many rows went. */
	clear(requester: string): Promise<number>;
}

export async function openThrottleStore(store: SqlStore): Promise<ThrottleStore> {
	await migrateStore(store, throttleMigrations);
	return {
		serialised: (requester, work) =>
			store.transaction(async tx => {
				// Two int4 keys, like the audit chain's lock, but a key per requester: one teller's burst waits, nobody else's.
				if (tx.dialect === 'postgres') await tx.get("SELECT pg_advisory_xact_lock(hashtext('globobot.throttle'), hashtext(current_schema() || ':' || $1))", [requester]);
				return work(tx);
			}),
		async recent(requester, after, via = store) {
			const rows = await via.all<{kind: string; at: number | string; n: number | string; question: string | null}>('SELECT kind, at, n, question FROM throttle_counts WHERE requester = $1 AND at > $2 ORDER BY at', [requester, after]);
			// pg returns BIGINT as text.
			return rows.map(row => ({kind: row.kind, at: Number(row.at), n: Number(row.n), question: row.question ?? undefined}));
		},
		async add(requester, counts, at, forgetBefore, via, question) {
			const positive = counts.filter(count => count.n > 0);
			const write = async (tx: SqlExecutor) => {
				for (const count of positive) await tx.run('INSERT INTO throttle_counts (requester, kind, at, n, question) VALUES ($1, $2, $3, $4, $5)', [requester, count.kind, at, count.n, question ?? null]);
				await tx.run('DELETE FROM throttle_counts WHERE requester = $1 AND at <= $2', [requester, forgetBefore]);
			};
			await (via ? write(via) : store.transaction(write));
		},
		clear: requester => store.run('DELETE FROM throttle_counts WHERE requester = $1', [requester]),
	};
}
