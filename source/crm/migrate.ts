// Versioned migrations for both backends: a schema_migrations table records
// what ran; pending migrations run in order inside one transaction, so a
// failed migration leaves the database as it was.
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type {Migration} from './types.js';

/** The versions applied by this call, in order (empty when already up to date). */
export type AppliedVersions = number[];

function checkOrder(migrations: readonly Migration[]): void {
	let previous = 0;
	for (const migration of migrations) {
		if (!Number.isInteger(migration.version) || migration.version <= previous) {
			throw new Error(`migration ${migration.version} (${migration.name}) is out of order: versions must increase`);
		}
		previous = migration.version;
	}
}

const pendingAfter = (migrations: readonly Migration[], applied: ReadonlySet<number>) => migrations.filter(migration => !applied.has(migration.version));

export function migrateSqlite(db: BetterSqlite3.Database, migrations: readonly Migration[]): AppliedVersions {
	checkOrder(migrations);
	const apply = db.transaction(() => {
		db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
		const rows = db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[];
		const pending = pendingAfter(migrations, new Set(rows));
		const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
		for (const migration of pending) {
			db.exec(migration.sqlite);
			record.run(migration.version, migration.name, new Date().toISOString());
		}
		return pending.map(migration => migration.version);
	});
	// IMMEDIATE takes the write lock first, so two processes opening the same
	// file at once queue (busy_timeout) instead of both deciding to migrate.
	return apply.immediate();
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function migratePostgres(pool: pg.Pool, schema: string, migrations: readonly Migration[]): Promise<AppliedVersions> {
	checkOrder(migrations);
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		// Held until COMMIT: a second process starting at the same moment waits
		// here, then finds nothing pending. Keyed by schema so test schemas don't queue.
		await client.query("SELECT pg_advisory_xact_lock(hashtext('globobot.migrate'), hashtext($1))", [schema]);
		await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
		await client.query(`SET LOCAL search_path TO ${quoteIdentifier(schema)}`);
		await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
		const {rows} = await client.query<{version: number}>('SELECT version FROM schema_migrations');
		const pending = pendingAfter(migrations, new Set(rows.map(row => row.version)));
		for (const migration of pending) {
			await client.query(migration.postgres);
			await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
		}
		await client.query('COMMIT');
		return pending.map(migration => migration.version);
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	} finally {
		client.release();
	}
}
