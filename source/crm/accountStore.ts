// The embedded account store, written once on the SQL seam for SQLite and
// PostgreSQL. The dialects differ in three places only: how a list of ids
// travels as one parameter, how a timestamp comes back, and byte-wise order.
import type {SqlExecutor, SqlStore, SqlValue} from '../sql/types.js';
import {normaliseAccountId} from './accountId.js';
import type {Account, AccountInput, AccountStore, UpsertResult} from './types.js';
import {checkedAccountInputs} from './upsertInput.js';

interface AccountRow {
	id: string;
	due: number | string;
	paid: number | string;
	currency: string;
	segment: string | null;
	updated_at: string | Date;
}

const columns = 'id, due, paid, currency, segment, updated_at';

/** pg returns BIGINT as a string; money is only ever a safe integer in JavaScript. */
export function toSafeInteger(value: string | number | bigint): number {
	const number = Number(value);
	if (!Number.isSafeInteger(number) || BigInt(value) !== BigInt(number)) throw new RangeError(`${String(value)} is outside the safe integer range`);
	return number;
}

const toAccount = (row: AccountRow): Account => ({
	id: row.id,
	due: toSafeInteger(row.due),
	paid: toSafeInteger(row.paid),
	currency: row.currency,
	...(row.segment !== null && {segment: row.segment}),
	updatedAt: row.updated_at instanceof Date ? row.updated_at.toISOString() : row.updated_at,
});

/** Ids as one JSON parameter, expanded by the database: one query, whatever the count. */
const idsIn = (executor: SqlExecutor) =>
	executor.dialect === 'sqlite' ? 'id IN (SELECT value FROM json_each($1))' : 'id IN (SELECT json_array_elements_text($1::json))';

// Byte-wise on both: SQLite's default collation is binary, PostgreSQL's follows the locale.
const byId = (executor: SqlExecutor) => (executor.dialect === 'sqlite' ? 'ORDER BY id' : 'ORDER BY id COLLATE "C"');

// Rows per INSERT: 6 parameters each, well under SQLite's 32,766 and PostgreSQL's 65,535.
const batchSize = 1000;

// The WHERE makes an identical row a no-op, so changes count only real writes and updated_at moves only on change.
function upsertSql(rows: number): string {
	const values = Array.from({length: rows}, (_, row) => `(${[1, 2, 3, 4, 5, 6].map(column => `$${row * 6 + column}`).join(', ')})`).join(', ');
	return `INSERT INTO accounts (id, due, paid, currency, segment, updated_at) VALUES ${values}
		ON CONFLICT (id) DO UPDATE SET due = excluded.due, paid = excluded.paid, currency = excluded.currency, segment = excluded.segment, updated_at = excluded.updated_at
		WHERE accounts.due IS DISTINCT FROM excluded.due OR accounts.paid IS DISTINCT FROM excluded.paid
			OR accounts.currency IS DISTINCT FROM excluded.currency OR accounts.segment IS DISTINCT FROM excluded.segment`;
}

async function upsertBatch(tx: SqlExecutor, accounts: readonly AccountInput[], now: string): Promise<{added: number; updated: number}> {
	const existing = await tx.get<{n: number | string}>(`SELECT count(*) AS n FROM accounts WHERE ${idsIn(tx)}`, [JSON.stringify(accounts.map(account => account.id))]);
	const parameters: SqlValue[] = [];
	for (const account of accounts) parameters.push(account.id, account.due, account.paid, account.currency, account.segment ?? null, now);
	const changes = await tx.run(upsertSql(accounts.length), parameters);
	// Ids are unique within the call, so the inserts are exactly the ids not there before.
	const added = accounts.length - toSafeInteger(existing?.n ?? 0);
	return {added, updated: changes - added};
}

export interface AccountStoreOptions {
	description: string;
	ping(): Promise<void>;
}

/** The accounts table of an open, migrated database; `close` leaves the database open (its owner closes it). */
export function createAccountStore(store: SqlStore, options: AccountStoreOptions): AccountStore {
	return {
		description: options.description,
		ping: options.ping,
		async close() {},
		async get(id) {
			const row = await store.get<AccountRow>(`SELECT ${columns} FROM accounts WHERE id = $1`, [normaliseAccountId(id)]);
			return row ? toAccount(row) : undefined;
		},
		async getMany(ids) {
			const wanted = [...new Set(ids.map(normaliseAccountId))];
			const found = new Map<string, Account>();
			if (wanted.length === 0) return found;
			for (const row of await store.all<AccountRow>(`SELECT ${columns} FROM accounts WHERE ${idsIn(store)}`, [JSON.stringify(wanted)])) found.set(row.id, toAccount(row));
			return found;
		},
		async list() {
			return (await store.all<AccountRow>(`SELECT ${columns} FROM accounts ${byId(store)}`)).map(toAccount);
		},
		async count() {
			return toSafeInteger((await store.get<{n: number | string}>('SELECT count(*) AS n FROM accounts'))?.n ?? 0);
		},
		async upsertMany(input) {
			const accounts = checkedAccountInputs(input);
			const now = new Date().toISOString();
			return store.transaction(async tx => {
				const result: UpsertResult = {added: 0, updated: 0, unchanged: 0};
				for (let index = 0; index < accounts.length; index += batchSize) {
					const {added, updated} = await upsertBatch(tx, accounts.slice(index, index + batchSize), now);
					result.added += added;
					result.updated += updated;
				}
				result.unchanged = accounts.length - result.added - result.updated;
				return result;
			});
		},
	};
}
