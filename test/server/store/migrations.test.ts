// The listener store's migrations on a database made before they moved out of
// crm/ (it ran crm migrations 2 and 3): its inbox is kept, events in it go on,
// and the new columns arrive; on a new database the same schema results.
import test from 'ava';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import {openDatabase} from '../../../source/crm/database.js';
import {migratePostgres, migrateSqlite} from '../../../source/crm/migrate.js';
import {accounts} from '../../../source/crm/migrations/001-accounts.js';
import {migrateStore} from '../../../source/sql/migrate.js';
import {createInbox} from '../../../server/store/inbox.js';
import {listenerMigrations} from '../../../server/store/migrations/index.js';
import {backends, type Backend} from '../../helpers/databases.js';
import {releasedInbox, releasedInboxReadyIndex} from './fixtures/releasedCrmInbox.js';

const released = [accounts, releasedInbox, releasedInboxReadyIndex];
const pendingRow = `INSERT INTO listener_inbox (message_id, room_id, person_id, state, next_attempt_at, received_at, updated_at) VALUES ('OLD1', 'R1', 'P1', 'pending', 1, 1, 1)`;

/** A database as the released version left it: accounts and inbox (crm versions 1–3), one event waiting. */
async function releasedDatabase(t: Parameters<Backend['url']>[0], backend: Backend): Promise<string> {
	const url = await backend.url(t);
	if (backend.name === 'sqlite') {
		const db = new BetterSqlite3(url);
		migrateSqlite(db, released);
		db.exec(pendingRow);
		db.close();
		return url;
	}
	const parsed = new URL(url);
	const schema = parsed.searchParams.get('schema')!;
	parsed.searchParams.delete('schema');
	const pool = new pg.Pool({connectionString: parsed.toString(), options: `-c search_path=${schema}`});
	await migratePostgres(pool, schema, released);
	await pool.query(pendingRow);
	await pool.end();
	return url;
}

for (const backend of backends) {
	test(`${backend.name}: a database that ran crm migrations 2 and 3 keeps its inbox and gains the new columns`, async t => {
		const database = await openDatabase(await releasedDatabase(t, backend));
		t.teardown(async () => database.close());
		const versions = await database.store.all<{version: number | string}>('SELECT version FROM schema_migrations ORDER BY version');
		t.deepEqual(versions.map(row => Number(row.version)), [1, 2, 3, 4], 'its record is kept; the segment migration follows');
		t.deepEqual(await migrateStore(database.store, listenerMigrations), listenerMigrations.map(migration => migration.name));
		const inbox = createInbox(database.store);
		t.like(await inbox.get('OLD1'), {state: 'pending', source: 'webhook'});
		t.like(await inbox.claim('A', 60_000), {messageId: 'OLD1', state: 'processing'});
		t.true(await inbox.record({messageId: 'NEW1', roomId: 'R1', personId: 'P1', source: 'catch-up', createdAt: 1_700_000_000_123}));
		t.like(await inbox.get('NEW1'), {source: 'catch-up', createdAt: 1_700_000_000_123});
		await database.accounts.upsertMany([{id: 'ACCT1', due: 1, paid: 0, currency: 'USD', segment: 'private'}]);
		t.like(await database.accounts.get('acct1'), {segment: 'private'});
	});

	test(`${backend.name}: a new database gets the inbox from the store migrations alone, once`, async t => {
		const database = await openDatabase(await backend.url(t));
		t.teardown(async () => database.close());
		const versions = await database.store.all<{version: number | string}>('SELECT version FROM schema_migrations ORDER BY version');
		t.deepEqual(versions.map(row => Number(row.version)), [1, 4]);
		t.is((await migrateStore(database.store, listenerMigrations)).length, listenerMigrations.length);
		t.deepEqual(await migrateStore(database.store, listenerMigrations), []);
		t.true(await createInbox(database.store).record({messageId: 'M1', roomId: 'R1', personId: 'P1'}));
		t.like(await createInbox(database.store).get('M1'), {source: 'webhook'});
		t.is((await createInbox(database.store).get('M1'))?.createdAt, undefined);
	});
}
