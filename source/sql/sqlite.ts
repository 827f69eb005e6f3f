// SqlStore over one better-sqlite3 connection. better-sqlite3 is synchronous,
// so a transaction is BEGIN IMMEDIATE … COMMIT on the one connection; while it
// is open every other caller waits its turn (a queue), otherwise their
// statements would silently run inside it.
import type BetterSqlite3 from 'better-sqlite3';
import {toPositional} from './placeholders.js';
import type {SqlExecutor, SqlStore, SqlValue} from './types.js';

interface Prepared {
	statement: BetterSqlite3.Statement;
	order: number[];
	returnsRows: boolean;
}

export function sqliteSqlStore(db: BetterSqlite3.Database, options: {close?: () => Promise<void>} = {}): SqlStore {
	const cache = new Map<string, Prepared>();
	const prepare = (text: string): Prepared => {
		let prepared = cache.get(text);
		if (!prepared) {
			const {text: positional, order} = toPositional(text);
			const statement = db.prepare(positional);
			prepared = {statement, order, returnsRows: statement.reader};
			cache.set(text, prepared);
		}
		return prepared;
	};
	const bind = (prepared: Prepared, parameters: readonly SqlValue[]) => prepared.order.map(index => parameters[index] ?? null);

	const direct: SqlExecutor = {
		dialect: 'sqlite',
		async run(text, parameters = []) {
			const prepared = prepare(text);
			if (prepared.returnsRows) return prepared.statement.all(bind(prepared, parameters)).length;
			return prepared.statement.run(bind(prepared, parameters)).changes;
		},
		async get<T>(text: string, parameters: readonly SqlValue[] = []) {
			const prepared = prepare(text);
			return prepared.statement.get(bind(prepared, parameters)) as T | undefined;
		},
		async all<T>(text: string, parameters: readonly SqlValue[] = []) {
			const prepared = prepare(text);
			return prepared.statement.all(bind(prepared, parameters)) as T[];
		},
	};

	// Callers outside the open transaction queue behind it.
	let turn: Promise<unknown> = Promise.resolve();
	let inTransaction = false;
	const queued = <T>(work: () => Promise<T>): Promise<T> => {
		if (!inTransaction) return work();
		const next = turn.then(work, work);
		turn = next.catch(() => undefined);
		return next;
	};

	return {
		dialect: 'sqlite',
		run: (text, parameters) => queued(() => direct.run(text, parameters)),
		get: <T>(text: string, parameters?: readonly SqlValue[]) => queued(() => direct.get<T>(text, parameters)),
		all: <T>(text: string, parameters?: readonly SqlValue[]) => queued(() => direct.all<T>(text, parameters)),
		transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
			const attempt = async () => {
				inTransaction = true;
				db.prepare('BEGIN IMMEDIATE').run();
				try {
					const result = await work(direct);
					db.prepare('COMMIT').run();
					return result;
				} catch (error) {
					if (db.inTransaction) db.prepare('ROLLBACK').run();
					throw error;
				} finally {
					inTransaction = false;
				}
			};
			const next = turn.then(attempt, attempt);
			turn = next.catch(() => undefined);
			return next;
		},
		async close() {
			await options.close?.();
		},
	};
}
