// One suite of store behaviour, run against SQLite and PostgreSQL alike.
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {openDatabase} from '../../source/crm/database.js';
import {backends, openTestDatabase, postgresServerUrl} from '../helpers/databases.js';

const usd = (id: string, due: number, paid: number) => ({id, due, paid, currency: 'USD'});

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('a new database is empty and answers ping'), async t => {
		const db = await openTestDatabase(t, backend);
		t.is(db.backend, backend.name);
		await t.notThrowsAsync(db.ping());
		t.is(await db.accounts.count(), 0);
		t.deepEqual(await db.accounts.list(), []);
		t.is(await db.accounts.get('ACCT100'), undefined);
	});

	test(name('upsertMany counts added, updated and unchanged'), async t => {
		const db = await openTestDatabase(t, backend);
		t.deepEqual(await db.accounts.upsertMany([usd('ACCT1', 100, 0), usd('ACCT2', 200, 50)]), {added: 2, updated: 0, unchanged: 0});
		t.deepEqual(await db.accounts.upsertMany([usd('ACCT1', 100, 0), usd('ACCT2', 200, 60), usd('ACCT3', 0, 0)]), {added: 1, updated: 1, unchanged: 1});
		t.deepEqual(await db.accounts.upsertMany([usd('ACCT1', 100, 0), usd('ACCT2', 200, 60), usd('ACCT3', 0, 0)]), {added: 0, updated: 0, unchanged: 3});
		t.is(await db.accounts.count(), 3);
		t.like(await db.accounts.get('ACCT2'), {due: 200, paid: 60});
	});

	test(name('updatedAt moves only when something changed'), async t => {
		const db = await openTestDatabase(t, backend);
		await db.accounts.upsertMany([usd('ACCT1', 100, 0), usd('ACCT2', 100, 0)]);
		const before = await db.accounts.getMany(['ACCT1', 'ACCT2']);
		await sleep(5);
		await db.accounts.upsertMany([usd('ACCT1', 100, 0), usd('ACCT2', 100, 1)]);
		const after = await db.accounts.getMany(['ACCT1', 'ACCT2']);
		t.is(after.get('ACCT1')?.updatedAt, before.get('ACCT1')?.updatedAt);
		t.not(after.get('ACCT2')?.updatedAt, before.get('ACCT2')?.updatedAt);
		t.true(Date.parse(after.get('ACCT2')!.updatedAt) > Date.parse(before.get('ACCT2')!.updatedAt));
	});

	test(name('ids are normalised: lookups are case-insensitive'), async t => {
		const db = await openTestDatabase(t, backend);
		await db.accounts.upsertMany([{id: ' acct100 ', due: 10_000, paid: 6000, currency: 'usd'}]);
		const account = await db.accounts.get('Acct100');
		t.like(account, {id: 'ACCT100', due: 10_000, paid: 6000, currency: 'USD'});
		t.false(Number.isNaN(Date.parse(account!.updatedAt)));
		t.deepEqual(await db.accounts.upsertMany([usd('ACCT100', 10_000, 6000)]), {added: 0, updated: 0, unchanged: 1});
	});

	test(name('getMany returns the known ids keyed by normalised id'), async t => {
		const db = await openTestDatabase(t, backend);
		await db.accounts.upsertMany([usd('ACCT1', 1, 0), usd('ACCT2', 2, 0), usd('ACCT3', 3, 0)]);
		const found = await db.accounts.getMany(['acct1', 'ACCT3', 'acct3', 'ACCT999']);
		t.deepEqual([...found.keys()].sort(), ['ACCT1', 'ACCT3']);
		t.is(found.get('ACCT3')?.due, 3);
		t.is((await db.accounts.getMany([])).size, 0);
	});

	test(name('list is ordered by id, byte-wise on both backends'), async t => {
		const db = await openTestDatabase(t, backend);
		await db.accounts.upsertMany([usd('B-2', 1, 0), usd('A_1', 1, 0), usd('ACCT10', 1, 0), usd('ACCT9', 1, 0)]);
		t.deepEqual(
			(await db.accounts.list()).map(account => account.id),
			['ACCT10', 'ACCT9', 'A_1', 'B-2'],
		);
	});

	test(name('amounts up to the largest safe integer round-trip exactly'), async t => {
		const db = await openTestDatabase(t, backend);
		await db.accounts.upsertMany([usd('BIG', Number.MAX_SAFE_INTEGER, 1), {id: 'YEN', due: 1500, paid: 0, currency: 'JPY'}]);
		t.like(await db.accounts.get('BIG'), {due: Number.MAX_SAFE_INTEGER, paid: 1});
		t.like(await db.accounts.get('YEN'), {due: 1500, currency: 'JPY'});
	});

	test(name('upsertMany is all-or-nothing: a bad row stores nothing'), async t => {
		const db = await openTestDatabase(t, backend);
		await db.accounts.upsertMany([usd('ACCT1', 100, 0)]);
		await t.throwsAsync(db.accounts.upsertMany([usd('ACCT1', 999, 0), usd('ACCT2', 1.5, 0)]), {instanceOf: TypeError, message: /ACCT2: due/});
		await t.throwsAsync(db.accounts.upsertMany([usd('ACCT3', 1, 0), usd('acct3', 2, 0)]), {instanceOf: TypeError, message: /ACCT3 appears twice/});
		await t.throwsAsync(db.accounts.upsertMany([usd('ACCT4', 1, -1)]), {instanceOf: TypeError});
		await t.throwsAsync(db.accounts.upsertMany([{id: 'ACCT5', due: 1, paid: 0, currency: 'XYZ'}]));
		t.deepEqual((await db.accounts.list()).map(account => [account.id, account.due]), [['ACCT1', 100]]);
	});

	test(name('a large batch is stored in one call'), async t => {
		const db = await openTestDatabase(t, backend);
		const many = Array.from({length: 5003}, (_, index) => usd(`ACCT${index}`, index, 0));
		t.deepEqual(await db.accounts.upsertMany(many), {added: 5003, updated: 0, unchanged: 0});
		t.is(await db.accounts.count(), 5003);
		t.is((await db.accounts.get('ACCT5002'))?.due, 5002);
		t.is((await db.accounts.getMany(many.slice(0, 1000).map(account => account.id.toLowerCase()))).size, 1000);
	});

	test(name('a second connection sees committed data'), async t => {
		const url = await backend.url(t);
		const writer = await openDatabase(url);
		t.teardown(async () => writer.close());
		await writer.accounts.upsertMany([usd('ACCT1', 100, 0)]);
		const reader = await openDatabase(url);
		t.teardown(async () => reader.close());
		t.is((await reader.accounts.get('acct1'))?.due, 100);
	});
}

test('sqlite: the description names the file; the parent folder is created', async t => {
	const url = await backends[0]!.url(t);
	const nested = url.replace(/crm\.db$/, 'deeper/still/crm.db');
	const db = await openDatabase(nested);
	t.teardown(async () => db.close());
	t.is(db.description, `sqlite ${nested}`);
	t.is((await db.store.get<{journal_mode: string}>('PRAGMA journal_mode'))?.journal_mode, 'wal');
});

test('sqlite: :memory: works', async t => {
	const db = await openDatabase(':memory:');
	t.teardown(async () => db.close());
	await db.accounts.upsertMany([usd('ACCT1', 1, 0)]);
	t.is(await db.accounts.count(), 1);
});

test('an unsupported URL scheme is refused', async t => {
	await t.throwsAsync(openDatabase('mysql://root@localhost/crm'), {message: /unsupported database URL scheme "mysql:"/});
});

const postgres = backends.find(backend => backend.name === 'postgres');
if (postgres) {
	test('postgres: the description has no password; the schema comes from the URL or the option', async t => {
		const url = new URL(await postgres.url(t));
		url.password = 'hunter2';
		url.username = 'postgres';
		// Trust auth ignores the password, so this opens for real.
		const db = await openDatabase(url.toString());
		t.teardown(async () => db.close());
		t.false(db.description.includes('hunter2'));
		t.regex(db.description, /^postgres 127\.0\.0\.1:5432\/test schema globobot_test_/);
		t.is(db.backend === 'postgres' ? db.schema : undefined, url.searchParams.get('schema') ?? undefined);
		const other = `globobot_test_opt_${process.pid}`;
		const byOption = await openDatabase(postgresServerUrl, {schema: other});
		t.teardown(async () => {
			await byOption.store.run(`DROP SCHEMA IF EXISTS ${other} CASCADE`);
			await byOption.close();
		});
		t.is(byOption.backend === 'postgres' ? byOption.schema : undefined, other);
	});

	test('postgres: an unreachable server fails with a reason and no password', async t => {
		const error = await t.throwsAsync(openDatabase('postgres://someone:s3cret@127.0.0.1:1/test'));
		t.regex(error!.message, /^cannot open postgres 127\.0\.0\.1:1\/test: /);
		t.false(error!.message.includes('s3cret'));
	});

	test('postgres: schemas keep parallel databases apart', async t => {
		const first = await openTestDatabase(t, postgres);
		const second = await openTestDatabase(t, postgres);
		await first.accounts.upsertMany([usd('ACCT1', 1, 0)]);
		t.is(await second.accounts.count(), 0);
	});
}

for (const backend of backends) {
	test(`${backend.name}: an optional segment is stored, changed and cleared like any field`, async t => {
		const db = await openTestDatabase(t, backend);
		t.deepEqual(await db.accounts.upsertMany([{...usd('ACCT1', 1, 0), segment: ' retail '}, usd('ACCT2', 1, 0)]), {added: 2, updated: 0, unchanged: 0});
		t.like(await db.accounts.get('ACCT1'), {segment: 'retail'});
		t.false('segment' in (await db.accounts.get('ACCT2'))!, 'absent, not null');
		t.deepEqual(await db.accounts.upsertMany([{...usd('ACCT1', 1, 0), segment: 'retail'}, {...usd('ACCT2', 1, 0), segment: 'private'}]), {added: 0, updated: 1, unchanged: 1});
		t.deepEqual(await db.accounts.upsertMany([usd('ACCT1', 1, 0)]), {added: 0, updated: 1, unchanged: 0}, 'an import without the segment clears it');
		t.is((await db.accounts.getMany(['ACCT2'])).get('ACCT2')?.segment, 'private');
	});
}
