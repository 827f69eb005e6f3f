// Opens the database named by DATABASE_URL: postgres:// for a shared
// PostgreSQL, anything else a SQLite file. The accounts' migrations run before
// it is returned; the listener's own tables migrate themselves on its store
// (server/store/). Callers get the SQL seam, never the driver's handle.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import {preparePrivateDatabase, PrivateFileError} from '../privateFiles.js';
import {ConfigError} from '../configError.js';
import {describeDatabaseUrl, describePostgres, isPostgresUrl} from './describe.js';
import {migratePostgres, migrateSqlite} from './migrate.js';
import {migrations} from './migrations/index.js';
import {postgresSqlStore} from '../sql/postgres.js';
import {sqliteSqlStore} from '../sql/sqlite.js';
import {createAccountStore} from './accountStore.js';
import type {Database} from './types.js';

export interface OpenDatabaseOptions {
	/** PostgreSQL schema (default: the URL's ?schema=, else public). Ignored for SQLite. */
	schema?: string;
	/** false for read-only commands: a SQLite file that does not exist is an error, and nothing is created. */
	create?: boolean;
}

/** A database URL or path that cannot be used (a configuration error: exit 2); the message never contains a password. */
export class DatabaseUrlError extends ConfigError {
	override name = 'DatabaseUrlError';
}

export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
	if (isPostgresUrl(url)) return openPostgres(url, options);
	if (/^[a-z][a-z\d+.-]*:\/\//i.test(url)) {
		throw new DatabaseUrlError(`unsupported database URL scheme "${url.split(':')[0]}:": use postgres:// or a SQLite file path`);
	}
	return openSqlite(url, options);
}

/**
 * SQLite files this process holds open, with how many connections. POSIX record locks belong to the process:
 * closing ANY descriptor of the file drops every lock the process holds on it, so the checks that open the file
 * (its header, its mode) run only before the first connection; SQLite itself keeps its own descriptors open.
 */
const openHere = new Map<string, number>();

function openSqlite(file: string, options: OpenDatabaseOptions): Database {
	const inMemory = file === ':memory:';
	const location = inMemory ? file : path.resolve(file);
	try {
		if (!inMemory && !openHere.has(location)) preparePrivateDatabase(location, {create: options.create});
	} catch (error) {
		if (error instanceof PrivateFileError && !error.missing) throw new DatabaseUrlError(`DATABASE_URL: ${error.message}`);
		throw error;
	}
	const sqlite = new BetterSqlite3(location);
	try {
		// First, so that switching to WAL and migrating wait for another process instead of failing.
		sqlite.pragma('busy_timeout = 5000');
		// WAL lets readers (the TUI, `accounts list`) run while a listener writes.
		sqlite.pragma('journal_mode = WAL');
		// NORMAL: no fsync on the event loop at each COMMIT. What must survive a power loss waits for
		// store.durable() instead, one fsync shared by every commit waiting (source/sql/sqliteDurability.ts).
		sqlite.pragma('synchronous = NORMAL');
		// A checkpoint copies the WAL's pages into the database and syncs both, on the event loop of
		// whoever commits past the threshold. The listener rewrites the same few inbox pages all the
		// time, so checkpointing every 10,000 pages (40 MB of WAL) instead of 1,000 copies each hot
		// page once instead of ten times, and stalls the loop a tenth as often.
		sqlite.pragma('wal_autocheckpoint = 10000');
		sqlite.pragma('foreign_keys = ON');
		migrateSqlite(sqlite, migrations);
	} catch (error) {
		sqlite.close();
		if ((error as {code?: string}).code === 'SQLITE_NOTADB') throw new DatabaseUrlError(`DATABASE_URL: ${location} is not a SQLite database`);
		throw error;
	}
	if (!inMemory) openHere.set(location, (openHere.get(location) ?? 0) + 1);
	let released = false;
	const release = () => {
		if (released || inMemory) return;
		released = true;
		const left = (openHere.get(location) ?? 1) - 1;
		if (left > 0) openHere.set(location, left);
		else openHere.delete(location);
	};
	const store = sqliteSqlStore(sqlite);
	const description = describeDatabaseUrl(file);
	const ping = async () => {
		sqlite.prepare('SELECT 1').get();
	};
	return {
		backend: 'sqlite',
		store,
		accounts: createAccountStore(store, {description, ping}),
		description,
		ping,
		async close() {
			// The store first: it holds the -wal file open for durable().
			await store.close();
			if (sqlite.open) sqlite.close();
			release();
		},
	};
}

const validSchema = /^[a-z_][a-z\d_]{0,62}$/i;

function postgresTarget(raw: string, options: OpenDatabaseOptions): {connectionString: string; schema: string; description: string} {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new DatabaseUrlError('DATABASE_URL is not a valid postgres:// URL');
	}
	const schema = options.schema ?? url.searchParams.get('schema') ?? 'public';
	if (!validSchema.test(schema)) throw new DatabaseUrlError(`PostgreSQL schema "${schema}" must be letters, digits and _`);
	// pg does not know ?schema=; it is ours, applied through search_path.
	url.searchParams.delete('schema');
	return {connectionString: url.toString(), schema, description: describePostgres(url, schema)};
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
	const {connectionString, schema, description} = postgresTarget(url, options);
	// A startup option, so every pooled connection (including ones created
	// later) resolves unqualified table names in our schema.
	const pool = new pg.Pool({connectionString, options: `-c search_path=${schema}`, connectionTimeoutMillis: 10_000});
	// An idle client losing its server must not crash the process; the next query reports it.
	pool.on('error', () => undefined);
	try {
		await migratePostgres(pool, schema, migrations);
	} catch (error) {
		await pool.end().catch(() => undefined);
		throw new Error(`cannot open ${description}: ${error instanceof Error ? error.message : String(error)}`, {cause: error});
	}
	let closed = false;
	const store = postgresSqlStore(pool);
	const ping = async () => {
		await pool.query('SELECT 1');
	};
	return {
		backend: 'postgres',
		store,
		schema,
		accounts: createAccountStore(store, {description, ping}),
		description,
		ping,
		async close() {
			if (closed) return;
			closed = true;
			await pool.end();
		},
	};
}
