// The embedded store: better-sqlite3 is synchronous and fast, so each method
// is a prepared statement wrapped in a resolved promise.
import type BetterSqlite3 from 'better-sqlite3';
import {normaliseAccountId} from './accountId.js';
import type {Account, AccountInput, AccountStore, UpsertResult} from './types.js';
import {checkedAccountInputs} from './upsertInput.js';

interface AccountRow {
	id: string;
	due: number;
	paid: number;
	currency: string;
	updated_at: string;
}

const columns = 'id, due, paid, currency, updated_at';

const toAccount = (row: AccountRow): Account => ({id: row.id, due: row.due, paid: row.paid, currency: row.currency, updatedAt: row.updated_at});

const mapRow = (row: AccountRow | undefined) => (row ? toAccount(row) : undefined);

function pushRow(parameters: Array<string | number>, account: AccountInput, now: string): Array<string | number> {
	parameters.push(account.id, account.due, account.paid, account.currency, now);
	return parameters;
}

// Rows per INSERT: fewer statement executions, well under SQLite's 32,766 parameters.
const batchSize = 200;

function upsertStatement(db: BetterSqlite3.Database, rows: number): BetterSqlite3.Statement {
	const values = Array.from({length: rows}, () => '(?, ?, ?, ?, ?)').join(', ');
	// The WHERE makes an identical row a no-op: `changes` then counts only real writes.
	return db.prepare(`
		INSERT INTO accounts (id, due, paid, currency, updated_at) VALUES ${values}
		ON CONFLICT (id) DO UPDATE SET due = excluded.due, paid = excluded.paid, currency = excluded.currency, updated_at = excluded.updated_at
		WHERE accounts.due IS NOT excluded.due OR accounts.paid IS NOT excluded.paid OR accounts.currency IS NOT excluded.currency
	`);
}

export function createSqliteStore(db: BetterSqlite3.Database): AccountStore {
	const getOne = db.prepare<[string], AccountRow>(`SELECT ${columns} FROM accounts WHERE id = ?`);
	// json_each takes any number of ids as one parameter: one query, no limit on the list.
	const getSome = db.prepare<[string], AccountRow>(`SELECT ${columns} FROM accounts WHERE id IN (SELECT value FROM json_each(?))`);
	const listAll = db.prepare<[], AccountRow>(`SELECT ${columns} FROM accounts ORDER BY id`);
	const countAll = db.prepare<[], number>('SELECT count(*) FROM accounts').pluck();
	const upsertBatch = upsertStatement(db, batchSize);
	const upsertOne = upsertStatement(db, 1);

	const upsertAll = db.transaction((accounts: readonly AccountInput[], now: string): UpsertResult => {
		const before = countAll.get() ?? 0;
		let changes = 0;
		let index = 0;
		for (; index + batchSize <= accounts.length; index += batchSize) {
			const parameters: Array<string | number> = [];
			for (let offset = index; offset < index + batchSize; offset++) pushRow(parameters, accounts[offset]!, now);
			changes += upsertBatch.run(parameters).changes;
		}
		for (; index < accounts.length; index++) changes += upsertOne.run(pushRow([], accounts[index]!, now)).changes;
		// Ids are unique within the call, so growth is exactly the inserts.
		const added = (countAll.get() ?? 0) - before;
		return {added, updated: changes - added, unchanged: accounts.length - changes};
	});

	return {
		async get(id) {
			return mapRow(getOne.get(normaliseAccountId(id)));
		},
		async getMany(ids) {
			const wanted = [...new Set(ids.map(normaliseAccountId))];
			const found = new Map<string, Account>();
			if (wanted.length === 0) return found;
			for (const row of getSome.all(JSON.stringify(wanted))) found.set(row.id, toAccount(row));
			return found;
		},
		async list() {
			return listAll.all().map(toAccount);
		},
		async count() {
			return countAll.get() ?? 0;
		},
		async upsertMany(accounts) {
			return upsertAll.immediate(checkedAccountInputs(accounts), new Date().toISOString());
		},
	};
}
