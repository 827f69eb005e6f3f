// The CRM store's contract. Amounts are integer minor units (cents for USD),
// never floats: a balance is due − paid, computed on integers.
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

export interface Account {
	/** Normalised upper-case, e.g. ACCT100. */
	id: string;
	/** Amount due, in minor units (a safe integer). */
	due: number;
	/** Amount paid, in minor units (a safe integer). */
	paid: number;
	/** ISO 4217 code, e.g. USD. */
	currency: string;
	/** ISO-8601 time of the last change. */
	updatedAt: string;
	segment?: string;
}

export type AccountInput = Omit<Account, 'updatedAt'>;

export interface UpsertResult {
	added: number;
	updated: number;
	unchanged: number;
}

export interface AccountStore {
	/** Case-insensitive. */
	get(id: string): Promise<Account | undefined>;
	/** One query for many ids; the map is keyed by the normalised id; unknown ids are absent. */
	getMany(ids: readonly string[]): Promise<Map<string, Account>>;
	list(): Promise<Account[]>;
	count(): Promise<number>;
	/** All-or-nothing, in one transaction. Rows identical to what is stored count as unchanged. */
	upsertMany(accounts: readonly AccountInput[]): Promise<UpsertResult>;
}

/**
 * An open, migrated database: the accounts plus the raw handle, so the
 * listener's inbox (a later migration) lives in the same database.
 */
export type Database = {
	readonly accounts: AccountStore;
	/** Throws when the database is unreachable. */
	ping(): Promise<void>;
	close(): Promise<void>;
	/** Human-readable, without credentials: "sqlite /path/crm.db" or "postgres 127.0.0.1:5432/test". */
	readonly description: string;
} & (
	| {readonly backend: 'sqlite'; readonly sqlite: BetterSqlite3.Database}
	| {readonly backend: 'postgres'; readonly pool: pg.Pool; readonly schema: string}
);

/** One versioned migration, written for both backends. */
export interface Migration {
	version: number;
	name: string;
	sqlite: string;
	postgres: string;
}
