// The one SQL seam: run / get / all / transaction over SQLite or PostgreSQL.
// Queries are written once with $1, $2 … placeholders; each dialect's adapter
// rewrites them. The embedded account store and the listener's own tables
// (inbox, replies, audit, grants, throttle, heartbeats) are built on this, so
// each table and query is written once; SQL differs only where dialects do.

export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | null;

export interface SqlExecutor {
	readonly dialect: Dialect;
	/** Rows changed. */
	run(text: string, parameters?: readonly SqlValue[]): Promise<number>;
	get<T>(text: string, parameters?: readonly SqlValue[]): Promise<T | undefined>;
	all<T>(text: string, parameters?: readonly SqlValue[]): Promise<T[]>;
}

export interface SqlStore extends SqlExecutor {
	/** Runs `work` in one transaction (SQLite: a savepoint inside its group's BEGIN IMMEDIATE, see sqlite.ts; PostgreSQL: one pooled client). Rolls back when it throws. */
	transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
	/**
	 * Resolves once every commit made before the call is on disk, safe from a
	 * power loss as well as a crash. Callers that acknowledge something (a 2xx,
	 * a send to Webex) on the strength of a commit await it first; concurrent
	 * callers share one disk sync (group commit). SQLite: see sqliteDurability.ts.
	 * PostgreSQL: at once, as its COMMIT already waited for its WAL flush.
	 */
	durable(): Promise<void>;
	close(): Promise<void>;
}
