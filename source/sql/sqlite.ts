// SqlStore over one better-sqlite3 connection. better-sqlite3 is synchronous,
// so a transaction is BEGIN IMMEDIATE … COMMIT on the one connection; while it
// is open every other caller waits its turn (a queue), otherwise their
// statements would silently run inside it.
//
// Group commit: nothing commits on its own. The writes (`run`) and the
// transactions issued in one turn of the event loop (the deliveries that
// arrived together, the replies that finished together) run in one SQLite
// transaction at setImmediate, each transaction inside a SAVEPOINT of its
// own, and each caller's promise settles only after that COMMIT. A commit's
// cost is mostly the pages it writes to the WAL, and these writes touch the
// same few pages, so a group costs little more than one of its writes. A
// failing write or transaction undoes itself only (its statement, or its
// savepoint). A group is not begun before it runs, so no read sees its writes
// uncommitted. What must survive a power loss awaits durable() after its
// write (sqliteDurability.ts).
import type BetterSqlite3 from 'better-sqlite3';
import {toPositional} from './placeholders.js';
import {walSync} from './sqliteDurability.js';
import type {SqlExecutor, SqlStore, SqlValue} from './types.js';

interface Prepared {
	statement: BetterSqlite3.Statement;
	order: number[];
	returnsRows: boolean;
}

/** A write or a transaction waiting for its group's commit. */
type GroupItem =
	| {text: string; parameters: readonly SqlValue[]; resolve(changes: number): void; reject(error: unknown): void}
	| {work: (tx: SqlExecutor) => Promise<unknown>; resolve(value: unknown): void; reject(error: unknown): void};

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

	// Groups (with the transactions in them), and reads issued while one runs, take turns on the connection, in order.
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

	/** The group still taking writes and transactions (until setImmediate; it then takes its turn on the connection). */
	let group: GroupItem[] | undefined;
	const savepoint = db.prepare('SAVEPOINT grouped');
	const release = db.prepare('RELEASE grouped');
	const rollbackTo = db.prepare('ROLLBACK TO grouped');

	/** One item of a group, inside the group's transaction; an error that ended that transaction (I/O, not a constraint) is rethrown. */
	const runItem = async (item: GroupItem): Promise<{value: unknown} | {error: unknown}> => {
		if ('text' in item) {
			try {
				return {value: runNow(item.text, item.parameters)};
			} catch (error) {
				if (!db.inTransaction) throw error;
				return {error};
			}
		}
		savepoint.run();
		try {
			const value = await item.work(direct);
			release.run();
			return {value};
		} catch (error) {
			if (!db.inTransaction) throw error;
			rollbackTo.run();
			release.run();
			return {error};
		}
	};

	const runGroup = async (items: GroupItem[]) => {
		const results: Array<{value: unknown} | {error: unknown}> = [];
		try {
			begin.run();
			for (const item of items) results.push(await runItem(item));
			commit.run();
		} catch (error) {
			if (db.inTransaction) rollback.run();
			for (const item of items) item.reject(error);
			return;
		}
		items.forEach((item, index) => {
			const result = results[index]!;
			if ('error' in result) item.reject(result.error);
			else (item.resolve as (value: unknown) => void)(result.value);
		});
	};

	const joinGroup = (item: GroupItem) => {
		if (!group) {
			const items: GroupItem[] = [];
			group = items;
			// Whatever else this turn of the event loop brings joins the same commit; it then runs when
			// the connection is free. Until then nothing of it is begun, so nobody can read it uncommitted.
			setImmediate(() => {
				if (group === items) group = undefined;
				void enqueue(async () => runGroup(items));
			});
		}
		group.push(item);
	};

	/** A read outside a transaction: at once, unless a transaction or group holds the connection (it would read inside it). */
	const read = <T>(work: () => Promise<T>): Promise<T> => (queued === 0 ? work() : enqueue(work));

	return {
		dialect: 'sqlite',
		run: (text, parameters = []) => new Promise<number>((resolve, reject) => joinGroup({text, parameters, resolve, reject})),
		get: <T>(text: string, parameters?: readonly SqlValue[]) => read(() => direct.get<T>(text, parameters)),
		all: <T>(text: string, parameters?: readonly SqlValue[]) => read(() => direct.all<T>(text, parameters)),
		transaction: <T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> =>
			new Promise<T>((resolve, reject) => joinGroup({work, resolve: resolve as (value: unknown) => void, reject})),
		durable: async () => wal?.durable(),
		async close() {
			await wal?.close();
			await options.close?.();
		},
	};
}
