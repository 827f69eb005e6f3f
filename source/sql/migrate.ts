// Named migrations on the SQL seam. Each part of the store (inbox, audit,
// grants …) brings its own list; a migration is known by its unique name, so
// features developed side by side never fight over version numbers. Pending
// ones run in list order, each with its record in one transaction, under a
// lock so that two processes opening one database at once do not both apply.
import type {SqlStore} from './types.js';

export interface StoreMigration {
	/** Unique and permanent, e.g. "inbox/1-tables". A released migration is never edited, only followed. */
	name: string;
	/** The same text for both dialects, or one per dialect where they truly differ. */
	sql: string | {sqlite: string; postgres: string};
}

const ledger = 'CREATE TABLE IF NOT EXISTS store_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)';

/** Applies what is pending; returns the names applied by this call. */
export async function migrateStore(store: SqlStore, migrations: readonly StoreMigration[]): Promise<string[]> {
	const names = new Set<string>();
	for (const migration of migrations) {
		if (names.has(migration.name)) throw new Error(`migration "${migration.name}" is listed twice`);
		names.add(migration.name);
	}
	return store.transaction(async tx => {
		// PostgreSQL: one migrator per schema at a time (SQLite's BEGIN IMMEDIATE already serialises).
		if (tx.dialect === 'postgres') await tx.get("SELECT pg_advisory_xact_lock(hashtext('globobot.store'), hashtext(current_schema()))");
		await tx.run(ledger);
		const done = new Set((await tx.all<{name: string}>('SELECT name FROM store_migrations')).map(row => row.name));
		const applied: string[] = [];
		for (const migration of migrations) {
			if (done.has(migration.name)) continue;
			const text = typeof migration.sql === 'string' ? migration.sql : migration.sql[tx.dialect];
			// Several statements in one migration: run them one by one (pg's extended protocol and better-sqlite3's prepare take one).
			for (const statement of splitStatements(text)) await tx.run(statement);
			await tx.run('INSERT INTO store_migrations (name, applied_at) VALUES ($1, $2)', [migration.name, new Date().toISOString()]);
			applied.push(migration.name);
		}
		return applied;
	});
}

/** Splits on `;` at the end of a line; migrations keep each statement's `;` at a line end and none inside strings. */
function splitStatements(text: string): string[] {
	return text
		.split(/;\s*(?:\n|$)/)
		.map(statement => statement.trim())
		.filter(Boolean);
}
