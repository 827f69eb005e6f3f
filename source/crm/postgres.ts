// The shared store: a pg Pool whose connections already have the schema on
// their search_path. BIGINT arrives as text and is checked back into a safe
// integer; many rows travel as a few arrays through unnest().
import type pg from 'pg';
import {normaliseAccountId} from './accountId.js';
import type {Account, AccountInput, AccountStore, UpsertResult} from './types.js';
import {checkedAccountInputs} from './upsertInput.js';

interface AccountRow {
	id: string;
	due: string;
	paid: string;
	currency: string;
	updated_at: Date;
}

const columns = 'id, due, paid, currency, updated_at';

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
	updatedAt: row.updated_at.toISOString(),
});

// Rows per statement: keeps each parameter array a few MB.
const batchSize = 50_000;

// Only rows that differ are written (so updated_at moves only on change); the
// CTE returns one summary row instead of a row per account. xmax = 0 marks a
// freshly inserted row version, as opposed to an updated one.
const upsertSql = `
	WITH written AS (
		INSERT INTO accounts (id, due, paid, currency, updated_at)
		SELECT id, due, paid, currency, $5 FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[]) AS input (id, due, paid, currency)
		ON CONFLICT (id) DO UPDATE SET due = excluded.due, paid = excluded.paid, currency = excluded.currency, updated_at = excluded.updated_at
		WHERE (accounts.due, accounts.paid, accounts.currency) IS DISTINCT FROM (excluded.due, excluded.paid, excluded.currency)
		RETURNING (xmax = 0) AS inserted
	)
	SELECT count(*) FILTER (WHERE inserted) AS added, count(*) FILTER (WHERE NOT inserted) AS updated FROM written
`;

async function upsertBatch(client: pg.PoolClient, accounts: readonly AccountInput[], now: Date): Promise<{added: number; updated: number}> {
	const {rows} = await client.query<{added: string; updated: string}>(upsertSql, [
		accounts.map(account => account.id),
		accounts.map(account => account.due),
		accounts.map(account => account.paid),
		accounts.map(account => account.currency),
		now,
	]);
	return {added: toSafeInteger(rows[0]?.added ?? 0), updated: toSafeInteger(rows[0]?.updated ?? 0)};
}

export function createPostgresStore(pool: pg.Pool): AccountStore {
	return {
		async get(id) {
			const {rows} = await pool.query<AccountRow>({name: 'globobot-account-get', text: `SELECT ${columns} FROM accounts WHERE id = $1`, values: [normaliseAccountId(id)]});
			return rows[0] ? toAccount(rows[0]) : undefined;
		},
		async getMany(ids) {
			const wanted = [...new Set(ids.map(normaliseAccountId))];
			const found = new Map<string, Account>();
			if (wanted.length === 0) return found;
			const {rows} = await pool.query<AccountRow>(`SELECT ${columns} FROM accounts WHERE id = ANY($1::text[])`, [wanted]);
			for (const row of rows) found.set(row.id, toAccount(row));
			return found;
		},
		async list() {
			const {rows} = await pool.query<AccountRow>(`SELECT ${columns} FROM accounts ORDER BY id COLLATE "C"`);
			return rows.map(toAccount);
		},
		async count() {
			const {rows} = await pool.query<{count: string}>('SELECT count(*) FROM accounts');
			return toSafeInteger(rows[0]?.count ?? 0);
		},
		async upsertMany(input) {
			const accounts = checkedAccountInputs(input);
			const now = new Date();
			const result: UpsertResult = {added: 0, updated: 0, unchanged: 0};
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				for (let index = 0; index < accounts.length; index += batchSize) {
					const {added, updated} = await upsertBatch(client, accounts.slice(index, index + batchSize), now);
					result.added += added;
					result.updated += updated;
				}
				await client.query('COMMIT');
			} catch (error) {
				await client.query('ROLLBACK').catch(() => undefined);
				throw error;
			} finally {
				client.release();
			}
			result.unchanged = accounts.length - result.added - result.updated;
			return result;
		},
	};
}
