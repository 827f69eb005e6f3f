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
];

export interface CountRow {
	at: number;
	n: number;
}

export interface ThrottleStore {
	/** The counts of one requester and limit recorded after `after` (exclusive), oldest first. */
	since(requester: string, kind: string, after: number): Promise<CountRow[]>;
	/** Every limit's counts of one requester after `after` (exclusive), oldest first: one read for all of a check. */
	recent(requester: string, after: number): Promise<Array<CountRow & {kind: string}>>;
	/** Records counts (n > 0 only) at `at`, and forgets this requester's rows older than `forgetBefore`; inside `via` when given, else in a transaction of its own. */
	add(requester: string, counts: ReadonlyArray<{kind: string; n: number}>, at: number, forgetBefore: number, via?: SqlExecutor): Promise<void>;
	/** Forgets every count of the requester; returns how many rows went. */
	clear(requester: string): Promise<number>;
}

export async function openThrottleStore(store: SqlStore): Promise<ThrottleStore> {
	await migrateStore(store, throttleMigrations);
	const recent = async (requester: string, after: number) => {
		const rows = await store.all<{kind: string; at: number | string; n: number | string}>('SELECT kind, at, n FROM throttle_counts WHERE requester = $1 AND at > $2 ORDER BY at', [requester, after]);
		// pg returns BIGINT as text.
		return rows.map(row => ({kind: row.kind, at: Number(row.at), n: Number(row.n)}));
	};
	return {
		async since(requester, kind, after) {
			return (await recent(requester, after)).filter(row => row.kind === kind).map(({at, n}) => ({at, n}));
		},
		recent,
		async add(requester, counts, at, forgetBefore, via) {
			const positive = counts.filter(count => count.n > 0);
			const write = async (tx: SqlExecutor) => {
				for (const count of positive) await tx.run('INSERT INTO throttle_counts (requester, kind, at, n) VALUES ($1, $2, $3, $4)', [requester, count.kind, at, count.n]);
				await tx.run('DELETE FROM throttle_counts WHERE requester = $1 AND at <= $2', [requester, forgetBefore]);
			};
			await (via ? write(via) : store.transaction(write));
		},
		clear: requester => store.run('DELETE FROM throttle_counts WHERE requester = $1', [requester]),
	};
}
