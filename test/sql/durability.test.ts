import test from 'ava';
import {migrateStore} from '../../source/sql/migrate.js';
import {groupCommit} from '../../source/sql/sqliteDurability.js';
import {backends} from '../helpers/databases.js';
import {openTestStore} from '../helpers/stores.js';

/** A sync that finishes when told to, counting its starts. */
function manualSync() {
	const finishers: Array<() => void> = [];
	return {
		starts: () => finishers.length,
		finish: (index: number) => finishers[index]!(),
		sync: async () =>
			new Promise<void>(resolve => {
				finishers.push(resolve);
			}),
	};
}

const settled = async () => new Promise(resolve => setImmediate(resolve));

test('callers while a sync runs share the next one, started only when it ends', async t => {
	const manual = manualSync();
	const durable = groupCommit(manual.sync);
	const order: string[] = [];
	const first = durable().then(() => order.push('first'));
	t.is(manual.starts(), 1);
	// These commits may have missed the running sync: they need one that starts after it.
	const later = [1, 2, 3].map(index => durable().then(() => order.push(`later ${index}`)));
	t.is(manual.starts(), 1, 'no second sync while one runs');
	manual.finish(0);
	await first;
	await settled();
	t.deepEqual(order, ['first'], 'the later callers are not answered by the earlier sync');
	t.is(manual.starts(), 2, 'one sync for the three of them');
	manual.finish(1);
	await Promise.all(later);
	t.deepEqual(order, ['first', 'later 1', 'later 2', 'later 3']);
	t.is(manual.starts(), 2);
});

test('a failed sync rejects its callers, and the next caller starts afresh', async t => {
	let calls = 0;
	const durable = groupCommit(async () => {
		calls++;
		if (calls === 1) throw new Error('EIO');
	});
	await t.throwsAsync(durable(), {message: 'EIO'});
	await t.notThrowsAsync(durable());
	t.is(calls, 2);
});

for (const backend of backends) {
	test(`${backend.name}: durable() resolves after commits, for many callers at once`, async t => {
		const store = await openTestStore(t, backend);
		await migrateStore(store, [{name: 'test/durable', sql: 'CREATE TABLE durable_notes (id TEXT PRIMARY KEY NOT NULL);'}]);
		await t.notThrowsAsync(store.durable(), 'before any write');
		const writes = Array.from({length: 20}, async (_, index) => {
			await store.run('INSERT INTO durable_notes (id) VALUES ($1)', [`n${index}`]);
			await store.durable();
		});
		await Promise.all(writes);
		t.is((await store.all('SELECT id FROM durable_notes')).length, 20);
	});
}

test('sqlite: writes issued together commit together; a failing one fails alone; a read before the commit sees none of them', async t => {
	const [sqlite] = backends.filter(backend => backend.name === 'sqlite');
	const store = await openTestStore(t, sqlite!);
	await migrateStore(store, [{name: 'test/grouped', sql: 'CREATE TABLE grouped_notes (id TEXT PRIMARY KEY NOT NULL);'}]);
	const writes = ['a', 'b', 'a', 'c'].map(async id => store.run('INSERT INTO grouped_notes (id) VALUES ($1)', [id]));
	// Issued in the same turn, before the group runs: committed data only.
	t.is((await store.all('SELECT id FROM grouped_notes')).length, 0);
	const results = await Promise.allSettled(writes);
	t.deepEqual(results.map(result => result.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'], 'the duplicate key fails alone');
	t.deepEqual((await store.all<{id: string}>('SELECT id FROM grouped_notes ORDER BY id')).map(row => row.id), ['a', 'b', 'c']);
	// A transaction issued in the same turn joins the group, in order: it sees the write issued before it.
	const late = store.run('INSERT INTO grouped_notes (id) VALUES ($1)', ['d']);
	const counted = await store.transaction(async tx => (await tx.all('SELECT id FROM grouped_notes')).length);
	t.is(counted, 4);
	t.is(await late, 1);
});

test('sqlite: a transaction that fails in a group undoes its own writes only, and the rest of the group commits', async t => {
	const [sqlite] = backends.filter(backend => backend.name === 'sqlite');
	const store = await openTestStore(t, sqlite!);
	await migrateStore(store, [{name: 'test/grouped', sql: 'CREATE TABLE grouped_notes (id TEXT PRIMARY KEY NOT NULL);'}]);
	const before = store.run('INSERT INTO grouped_notes (id) VALUES ($1)', ['a']);
	const failing = store.transaction(async tx => {
		await tx.run('INSERT INTO grouped_notes (id) VALUES ($1)', ['b']);
		throw new Error('changed its mind');
	});
	const after = store.transaction(async tx => tx.run('INSERT INTO grouped_notes (id) VALUES ($1)', ['c']));
	await t.throwsAsync(failing, {message: 'changed its mind'});
	t.is(await before, 1);
	t.is(await after, 1);
	t.deepEqual((await store.all<{id: string}>('SELECT id FROM grouped_notes ORDER BY id')).map(row => row.id), ['a', 'c']);
});
