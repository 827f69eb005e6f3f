import test from 'ava';
import {migrateStore} from '../../source/sql/migrate.js';
import {backends} from '../helpers/databases.js';
import {openTestStore} from '../helpers/stores.js';

const notes = [{name: 'test/notes', sql: 'CREATE TABLE notes (id TEXT PRIMARY KEY NOT NULL, n INTEGER NOT NULL);\nCREATE INDEX notes_n ON notes (n);'}];

for (const backend of backends) {
	test(`${backend.name}: one query text runs on the dialect, placeholders repeated and out of order`, async t => {
		const store = await openTestStore(t, backend);
		t.deepEqual(await migrateStore(store, notes), ['test/notes']);
		t.deepEqual(await migrateStore(store, notes), [], 'a second run applies nothing');
		t.is(await store.run('INSERT INTO notes (id, n) VALUES ($2, $1)', [7, 'a']), 1);
		t.is(await store.run('INSERT INTO notes (id, n) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', ['a', 8]), 0);
		const row = await store.get<{id: string; n: number | string}>('SELECT id, n FROM notes WHERE id = $1 AND n = $2 AND $2 > 0', ['a', 7]);
		t.deepEqual({id: row?.id, n: Number(row?.n)}, {id: 'a', n: 7});
	});

	test(`${backend.name}: a transaction that throws leaves nothing; others wait for it`, async t => {
		const store = await openTestStore(t, backend);
		await migrateStore(store, notes);
		await t.throwsAsync(store.transaction(async tx => {
			await tx.run('INSERT INTO notes (id, n) VALUES ($1, $2)', ['x', 1]);
			throw new Error('boom');
		}), {message: 'boom'});
		t.is((await store.all('SELECT id FROM notes')).length, 0);
		const outside: Promise<number>[] = [];
		await store.transaction(async tx => {
			await tx.run('INSERT INTO notes (id, n) VALUES ($1, $2)', ['y', 1]);
			// Issued while the transaction is open: must not land inside it (it would be rolled back with it).
			outside.push(store.run('INSERT INTO notes (id, n) VALUES ($1, $2)', ['z', 2]));
			await tx.run('UPDATE notes SET n = n + 1 WHERE id = $1', ['y']);
		});
		t.is(await outside[0], 1);
		const rows = await store.all<{id: string; n: number | string}>('SELECT id, n FROM notes ORDER BY id');
		t.deepEqual(rows.map(row => [row.id, Number(row.n)]), [['y', 2], ['z', 2]]);
	});
}
