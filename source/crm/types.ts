// The CRM store's contract. Amounts are integer minor units (cents for USD),
// never floats: a balance is due − paid, computed on integers.
import type {SqlStore} from '../sql/types.js';
import type {AccountLookup} from './lookup.js';

export interface Account {
	/** Normalised upper-case, e.g. ACCT100. */
	id: string;
	/** Amount due, in minor units (a safe integer). */
	due: number;
	/** Amount paid, in minor units (a safe integer). */
	paid: number;
	/** ISO 4217 code, e.g. USD. */
	currency: string;
	/** The customer segment (e.g. "retail", "private"), when the CRM keeps one; policies may decide on it. */
	segment?: string;
	/** ISO-8601 time of the last change. */
	updatedAt: string;
}

export type AccountInput = Omit<Account, 'updatedAt'>;

export interface UpsertResult {
	added: number;
	updated: number;
	unchanged: number;
}

/** What the `accounts` commands need; the listener never sees it (it reads an AccountLookup). */
export interface AccountAdmin {
	/** Case-insensitive. */
	get(id: string): Promise<Account | undefined>;
	list(): Promise<Account[]>;
	count(): Promise<number>;
	/** All-or-nothing, in one transaction. Rows identical to what is stored count as unchanged. */
	upsertMany(accounts: readonly AccountInput[]): Promise<UpsertResult>;
}

/** The embedded store: a lookup for the listener and an admin interface for the commands, over one table. */
export type AccountStore = AccountLookup & AccountAdmin;

/**
 * An open, migrated database: the embedded accounts, and the SQL seam over the
 * same connection, where the listener keeps its own tables (server/store/).
 */
export type Database = {
	readonly accounts: AccountStore;
	/** The one SQL seam over this database; closing it closes nothing (close the database). */
	readonly store: SqlStore;
	/** Throws when the database is unreachable. */
	ping(): Promise<void>;
	close(): Promise<void>;
	/** Human-readable, without credentials: "sqlite /path/crm.db" or "postgres 127.0.0.1:5432/test". */
	readonly description: string;
} & ({readonly backend: 'sqlite'} | {readonly backend: 'postgres'; readonly schema: string});

/** One versioned migration of the accounts schema, written for both backends. */
export interface Migration {
	version: number;
	name: string;
	sqlite: string;
	postgres: string;
}
