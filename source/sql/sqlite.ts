// SqlStore over one better-sqlite3 connection. better-sqlite3 is synchronous,
// so a transaction is BEGIN IMMEDIATE … COMMIT on the one connection; while it
// is open every other caller waits its turn (a queue), otherwise their
// statements would silently run inside it.
//
// Group commit: a write outside a transaction (`run`) is not committed on its
// own. Writes issued in one turn of the event loop (the deliveries that
// arrived together, the replies that finished together) are run in one
// transaction at setImmediate, and each resolves only after that COMMIT. A
// commit's cost is mostly the pages it writes to the WAL, and these writes
// touch the same few pages, so many writes cost little more than one. A
// group is not begun before it runs, so no read sees its writes uncommitted,
// and transactions need not wait for it. What must survive a power loss
// awaits durable() after its write (sqliteDurability.ts).
import type BetterSqlite3 from 'better-sqlite3';
import {toPositional} from './placeholders.js';
import {walSync} from './sqliteDurability.js';
import type {SqlExecutor, SqlStore, SqlValue} from './types.js';

interface Prepared {
	statement: BetterSqlite3.Statement;
	order: number[];
	returnsRows: boolean;
}

/** One write waiting for its group's commit. */
interface GroupedWrite {
	text: string;
	parameters: readonly SqlValue[];
	resolve(changes: number): void;
	reject(error: unknown): void;
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
	// Only a WAL database file has something to sync: in memory (tests), nothing survives anyway.
	const wal = !db.memory && String(db.pragma('journal_mode', {simple: true})).toLowerCase() === 'wal' ? walSync(db.name) : undefined;
	const bind = (prepared: Prepared, parameters: readonly SqlValue[]) => prepared.order.map(index => parameters[index] ?? null);
	// Prepared once: preparing BEGIN and COMMIT for every transaction showed in the profile.
	const begin = db.prepare('BEGIN IMMEDIATE');
	const commit = db.prepare('COMMIT');
	const rollback = db.prepare('ROLLBACK');

	const runNow = (text: string, parameters: readonly SqlValue[]) => {
		const prepared = prepare(text);
		if (prepared.returnsRows) return prepared.statement.all(bind(prepared, parameters)).length;
		return prepared.statement.run(bind(prepared, parameters)).changes;
	};

	const direct: SqlExecutor = {
		dialect: 'sqlite',
		async run(text, parameters = []) {
			return runNow(text, parameters);
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

	// Transactions and groups take turns on the connection, in order.
	let tail: Promise<void> = Promise.resolve();
	let queued = 0;
	const noop = () => undefined;
	const enqueue = <T>(work: () => Promise<T> | T): Promise<T> => {
		queued++;
		const next = tail.then(async () => {
			try {
				return await work();
			} finally {
				queued--;
			}
		});
		tail = next.then(noop, noop);
		return next;
	};

	/** The group still taking writes (until setImmediate; it then takes its turn on the connection). */
	let group: GroupedWrite[] | undefined;

	const runGroup = (writes: GroupedWrite[]) => {
		const results: Array<{changes: number} | {error: unknown}> = [];
		try {
			begin.run();
			for (const write of writes) {
				try {
					results.push({changes: runNow(write.text, write.parameters)});
				} catch (error) {
					// A constraint error undoes its statement only; an I/O error can end the whole transaction.
					if (!db.inTransaction) throw error;
					results.push({error});
				}
			}
			commit.run();
		} catch (error) {
			if (db.inTransaction) rollback.run();
			for (const write of writes) write.reject(error);
			return;
		}
		writes.forEach((write, index) => {
			const result = results[index]!;
			if ('error' in result) write.reject(result.error);
			else write.resolve(result.changes);
		});
	};

	const grouped = (text: string, parameters: readonly SqlValue[]): Promise<number> =>
		new Promise((resolve, reject) => {
			if (!group) {
				const writes: GroupedWrite[] = [];
				group = writes;
				// Whatever else this turn of the event loop brings joins the same commit; it then runs when
				// the connection is free. Until then nothing of it is begun, so nobody can read it uncommitted.
				setImmediate(() => {
					if (group === writes) group = undefined;
					void enqueue(() => runGroup(writes));
				});
			}
			group.push({text, parameters, resolve, reject});
		});

	/** A read outside a transaction: at once, unless a transaction or group holds the connection (it would read inside it). */
	const read = <T>(work: () => Promise<T>): Promise<T> => (queued === 0 ? work() : enqueue(work));

	return {
		dialect: 'sqlite',
		run: (text, parameters = []) => grouped(text, parameters),
		get: <T>(text: string, parameters?: readonly SqlValue[]) => read(() => direct.get<T>(text, parameters)),
		all: <T>(text: string, parameters?: readonly SqlValue[]) => read(() => direct.all<T>(text, parameters)),
		transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
			return enqueue(async () => {
				begin.run();
				try {
					const result = await work(direct);
					commit.run();
					return result;
				} catch (error) {
					if (db.inTransaction) rollback.run();
					throw error;
				}
			});
		},
		durable: async () => wal?.durable(),
		async close() {
			await wal?.close();
			await options.close?.();
		},
	};
}
