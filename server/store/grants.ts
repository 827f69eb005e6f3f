// The stored grants: one row per (subject, scope), both in canonical form
// (server/policy/grant.ts), so the primary key is also the index a decision
// reads through: every listener reads the rows of one requester per question,
// and a change made by `access …` is seen by every replica on its next one.
import {migrateStore, type StoreMigration} from '../../source/sql/migrate.js';
import type {SqlExecutor, SqlStore} from '../../source/sql/types.js';
import type {Grant} from '../policy/grant.js';

export const grantMigrations: readonly StoreMigration[] = [
	{
		name: 'grants/1-table',
		sql: 'CREATE TABLE access_grants (subject TEXT NOT NULL, scope TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (subject, scope))',
	},
];

/** What replacing the set would change (or changed). */
export interface GrantDiff {
	added: Grant[];
	removed: Grant[];
	unchanged: number;
}

export interface GrantStore {
	/** Every grant, ordered by subject then scope. */
	list(): Promise<Grant[]>;
	/** The grants of these subjects (one indexed query). */
	forSubjects(subjects: readonly string[]): Promise<Grant[]>;
	/** Adds what is missing; returns the grants that were new. */
	grant(subject: string, scopes: readonly string[]): Promise<Grant[]>;
	/** Removes these scopes of the subject, or all its grants when none are named; returns what was removed. */
	revoke(subject: string, scopes?: readonly string[]): Promise<Grant[]>;
	/** What `replace` would do, changing nothing. */
	diff(grants: readonly Grant[]): Promise<GrantDiff>;
	/** Makes the stored set exactly `grants`, all or nothing. */
	replace(grants: readonly Grant[]): Promise<GrantDiff>;
}

const key = (grant: Grant) => `${grant.subject}\n${grant.scope}`;
const placeholders = (count: number, from = 1) => Array.from({length: count}, (_, index) => `$${index + from}`).join(', ');
// Sorted here, not by ORDER BY: PostgreSQL's collation may ignore "@" and "*", so both backends would list differently.
const byText = (a: Grant, b: Grant) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0);
const sorted = (grants: Grant[]) => grants.sort(byText);

async function listAll(executor: SqlExecutor): Promise<Grant[]> {
	return sorted(await executor.all<Grant>('SELECT subject, scope FROM access_grants'));
}

function difference(current: readonly Grant[], wanted: readonly Grant[]): GrantDiff {
	const have = new Set(current.map(key));
	const want = new Map(wanted.map(grant => [key(grant), grant]));
	const added = sorted([...want.values()].filter(grant => !have.has(key(grant))));
	const removed = current.filter(grant => !want.has(key(grant)));
	return {added, removed, unchanged: current.length - removed.length};
}

async function insert(executor: SqlExecutor, grants: readonly Grant[]): Promise<Grant[]> {
	const added: Grant[] = [];
	const now = new Date().toISOString();
	for (const grant of grants) {
		const changed = await executor.run('INSERT INTO access_grants (subject, scope, created_at) VALUES ($1, $2, $3) ON CONFLICT (subject, scope) DO NOTHING', [grant.subject, grant.scope, now]);
		if (changed > 0) added.push(grant);
	}
	return added;
}

/** The grant table on a store, migrated first (safe to call from every process). */
export async function openGrantStore(store: SqlStore): Promise<GrantStore> {
	await migrateStore(store, grantMigrations);
	return {
		list: () => listAll(store),
		async forSubjects(subjects) {
			if (subjects.length === 0) return [];
			return sorted(await store.all<Grant>(`SELECT subject, scope FROM access_grants WHERE subject IN (${placeholders(subjects.length)})`, subjects));
		},
		grant: (subject, scopes) => store.transaction(tx => insert(tx, [...new Set(scopes)].map(scope => ({subject, scope})))),
		revoke: (subject, scopes) =>
			store.transaction(async tx => {
				const named = scopes && scopes.length > 0 ? ` AND scope IN (${placeholders(scopes.length, 2)})` : '';
				const parameters = [subject, ...(scopes ?? [])];
				const removed = sorted(await tx.all<Grant>(`SELECT subject, scope FROM access_grants WHERE subject = $1${named}`, parameters));
				await tx.run(`DELETE FROM access_grants WHERE subject = $1${named}`, parameters);
				return removed;
			}),
		diff: async grants => difference(await listAll(store), grants),
		replace: grants =>
			store.transaction(async tx => {
				const change = difference(await listAll(tx), grants);
				for (const grant of change.removed) await tx.run('DELETE FROM access_grants WHERE subject = $1 AND scope = $2', [grant.subject, grant.scope]);
				await insert(tx, change.added);
				return change;
			}),
	};
}
