import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import test from 'ava';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import {openDatabase} from '../../source/crm/database.js';
import {migratePostgres, migrateSqlite} from '../../source/crm/migrate.js';
import {migrations} from '../../source/crm/migrations/index.js';
import type {Database, Migration} from '../../source/crm/types.js';
import {backends} from '../helpers/databases.js';

async function appliedVersions(db: Database): Promise<number[]> {
	const rows = await db.store.all<{version: number}>('SELECT version FROM schema_migrations ORDER BY version');
	return rows.map(row => Number(row.version));
}

const execFileAsync = promisify(execFile);
const databaseModule = fileURLToPath(new URL('../../source/crm/database.ts', import.meta.url));

const allVersions = migrations.map(migration => migration.version);

test('migrations are listed in increasing version order', t => {
	t.deepEqual(allVersions, [...allVersions].sort((a, b) => a - b));
	t.is(new Set(allVersions).size, allVersions.length);
});

for (const backend of backends) {
	test(`${backend.name}: opening twice applies each migration once and keeps the data`, async t => {
		const url = await backend.url(t);
		const first = await openDatabase(url);
		await first.accounts.upsertMany([{id: 'ACCT1', due: 1, paid: 0, currency: 'USD'}]);
		await first.close();
		const second = await openDatabase(url);
		t.teardown(async () => second.close());
		t.deepEqual(await appliedVersions(second), allVersions);
		t.is(await second.accounts.count(), 1);
	});

	test(`${backend.name}: processes opening a new database at the same moment do not race`, async t => {
		const url = await backend.url(t);
		// Separate processes: SQLite opens synchronously, so only they can overlap.
		const script = `import {openDatabase} from ${JSON.stringify(databaseModule)}; await (await openDatabase(process.argv[1])).close();`;
		const runs = await Promise.allSettled(Array.from({length: 3}, async () => execFileAsync(process.execPath, ['--import=tsx', '--input-type=module', '-e', script, url])));
		t.deepEqual(runs.filter(run => run.status === 'rejected'), []);
		const db = await openDatabase(url);
		t.teardown(async () => db.close());
		t.deepEqual(await appliedVersions(db), allVersions);
	});
}

const good: Migration = {version: 1, name: 'good', sqlite: 'CREATE TABLE good (x INTEGER)', postgres: 'CREATE TABLE good (x INTEGER)'};
const broken: Migration = {version: 2, name: 'broken', sqlite: 'CREATE TABLE oops (', postgres: 'CREATE TABLE oops ('};

test('sqlite: a failing migration leaves nothing behind', t => {
	const db = new BetterSqlite3(':memory:');
	t.teardown(() => db.close());
	t.throws(() => migrateSqlite(db, [good, broken]), {any: true, message: /incomplete input/});
	const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
	t.deepEqual(tables, []);
	t.deepEqual(migrateSqlite(db, [good]), [1]);
	t.deepEqual(migrateSqlite(db, [good]), []);
});

test('migrations out of order are refused', t => {
	const db = new BetterSqlite3(':memory:');
	t.teardown(() => db.close());
	t.throws(() => migrateSqlite(db, [broken, good]), {message: /out of order/});
});

const postgres = backends.find(backend => backend.name === 'postgres');
if (postgres) {
	test('postgres: a failing migration leaves nothing behind', async t => {
		const url = new URL(await postgres.url(t));
		const schema = url.searchParams.get('schema')!;
		url.searchParams.delete('schema');
		const pool = new pg.Pool({connectionString: url.toString(), options: `-c search_path=${schema}`});
		t.teardown(async () => pool.end());
		await t.throwsAsync(migratePostgres(pool, schema, [good, broken]));
		const {rows} = await pool.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
		t.deepEqual(rows, []);
		t.deepEqual(await migratePostgres(pool, schema, [good]), [1]);
		t.deepEqual(await migratePostgres(pool, schema, [good]), []);
	});
}
