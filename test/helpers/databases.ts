// Databases for tests: a temporary SQLite file, or a private schema in the
// PostgreSQL `test` database, each removed at teardown so parallel test files
// never see each other's rows. `backends` runs one suite against both.
//
//   for (const backend of backends) {
//     test(`${backend.name}: …`, async t => {
//       const db = await openTestDatabase(t, backend);
//     });
//   }
import {randomBytes} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {ExecutionContext} from 'ava';
import pg from 'pg';
import {openDatabase} from '../../source/crm/database.js';
import type {Database} from '../../source/crm/types.js';

/** The server every suite uses; TEST_POSTGRES_URL overrides it (no schema parameter). */
export const postgresServerUrl = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

type Context = Pick<ExecutionContext, 'teardown'>;

/** A fresh SQLite file path in its own temporary folder, deleted (with -wal/-shm) at teardown. */
export async function sqliteUrl(t: Context): Promise<string> {
	const folder = await mkdtemp(path.join(tmpdir(), 'globobot-test-'));
	t.teardown(async () => rm(folder, {recursive: true, force: true}));
	return path.join(folder, 'crm.db');
}

async function withClient<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({connectionString: postgresServerUrl, connectionTimeoutMillis: 3000});
	await client.connect();
	try {
		return await use(client);
	} finally {
		await client.end();
	}
}

/** A postgres:// URL with `?schema=` naming a new, unique schema, dropped (with everything in it) at teardown. */
export async function postgresUrl(t: Context): Promise<string> {
	const schema = `globobot_test_${process.pid}_${randomBytes(4).toString('hex')}`;
	t.teardown(async () => withClient(async client => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)));
	const url = new URL(postgresServerUrl);
	url.searchParams.set('schema', schema);
	return url.toString();
}

export interface Backend {
	name: 'sqlite' | 'postgres';
	/** A fresh, private database URL for one test, cleaned up at its teardown. */
	url(t: Context): Promise<string>;
}

async function postgresReachable(): Promise<string | undefined> {
	try {
		await withClient(async client => client.query('SELECT 1'));
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

const unreachable = await postgresReachable();
if (unreachable !== undefined) {
	// In CI the PostgreSQL half is required: failing here fails every suite that imports this.
	if (process.env['CI']) throw new Error(`PostgreSQL at ${new URL(postgresServerUrl).host} is unreachable (${unreachable}); CI requires it`);
	console.warn(`PostgreSQL at ${new URL(postgresServerUrl).host} is unreachable (${unreachable}): skipping the postgres tests (in CI this fails).`);
}

/** Whether the PostgreSQL server answered (always true in CI, where unreachable throws at import). */
export const postgresAvailable = unreachable === undefined;

export const sqliteBackend: Backend = {name: 'sqlite', url: sqliteUrl};
export const postgresBackend: Backend = {name: 'postgres', url: postgresUrl};

/** SQLite always; PostgreSQL when reachable (and in CI, where it must be). */
export const backends: readonly Backend[] = postgresAvailable ? [sqliteBackend, postgresBackend] : [sqliteBackend];

/** Opens a fresh, migrated database on the backend, closed at teardown (before its files or schema go). */
export async function openTestDatabase(t: Context, backend: Backend): Promise<Database> {
	const database = await openDatabase(await backend.url(t));
	t.teardown(async () => database.close());
	return database;
}
