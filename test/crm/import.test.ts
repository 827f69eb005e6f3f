import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test, {type ExecutionContext} from 'ava';
import {ImportError, importAccounts, parseAccountsFile} from '../../source/crm/import.js';
import {balanceOf, formatMoney} from '../../source/crm/money.js';
import {backends, openTestDatabase} from '../helpers/databases.js';

const seedFile = fileURLToPath(new URL('../../fixtures/seed/accounts.json', import.meta.url));

/** Writes `content` to a file named `name` in a temporary folder removed at teardown. */
async function fileWith(t: ExecutionContext, name: string, content: string): Promise<string> {
	const folder = await mkdtemp(path.join(tmpdir(), 'globobot-import-'));
	t.teardown(async () => rm(folder, {recursive: true, force: true}));
	const file = path.join(folder, name);
	await writeFile(file, content);
	return file;
}

async function importError(t: ExecutionContext, file: string): Promise<ImportError> {
	const error = await t.throwsAsync(parseAccountsFile(file), {instanceOf: ImportError});
	return error!;
}

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('the seed file gives the original balances'), async t => {
		const db = await openTestDatabase(t, backend);
		t.deepEqual(await importAccounts(db.accounts, seedFile), {added: 3, updated: 0, unchanged: 0});
		const balances = Object.fromEntries((await db.accounts.list()).map(account => [account.id, formatMoney(balanceOf(account), account.currency)]));
		t.deepEqual(balances, {ACCT100: '40.00 USD', ACCT200: '-10.00 USD', ACCT300: '0.00 USD'});
	});

	test(name('importing the same file again changes nothing'), async t => {
		const db = await openTestDatabase(t, backend);
		await importAccounts(db.accounts, seedFile);
		const before = await db.accounts.list();
		t.deepEqual(await importAccounts(db.accounts, seedFile), {added: 0, updated: 0, unchanged: 3});
		t.deepEqual(await db.accounts.list(), before);
	});

	test(name('a file with one bad row leaves the database as it was'), async t => {
		const db = await openTestDatabase(t, backend);
		await importAccounts(db.accounts, seedFile);
		const before = await db.accounts.list();
		const bad = await fileWith(t, 'bad.json', '{\n  "ACCT100": {"paid": 0, "due": 1},\n  "ACCT400": {"paid": 5, "due": 7},\n  "ACCT500": {"paid": -5, "due": 7}\n}\n');
		await t.throwsAsync(importAccounts(db.accounts, bad), {instanceOf: ImportError, message: `${bad} line 4 (ACCT500, paid): negative`});
		t.deepEqual(await db.accounts.list(), before);
	});

	test(name('decimal amounts like 0.1 and 0.2 are stored exactly'), async t => {
		const db = await openTestDatabase(t, backend);
		const file = await fileWith(t, 'cents.json', JSON.stringify({ACCT1: {due: 0.3, paid: 0.1}, ACCT2: {due: '0.30', paid: '0.2'}, ACCT3: {due: '10.10', paid: 0.2, currency: 'EUR'}}));
		await importAccounts(db.accounts, file);
		const accounts = await db.accounts.getMany(['ACCT1', 'ACCT2', 'ACCT3']);
		t.like(accounts.get('ACCT1'), {due: 30, paid: 10});
		t.is(balanceOf(accounts.get('ACCT1')!) + balanceOf(accounts.get('ACCT2')!), 30);
		t.is(formatMoney(balanceOf(accounts.get('ACCT3')!), 'EUR'), '9.90 EUR');
	});

	test(name('CSV with and without a currency column'), async t => {
		const db = await openTestDatabase(t, backend);
		const withCurrency = await fileWith(t, 'accounts.csv', 'id,due,paid,currency\r\nacct100,100,60,usd\r\n"ACCT700","1,5",0,USD\r\nYEN1,1500,500,JPY\r\n');
		await t.throwsAsync(importAccounts(db.accounts, withCurrency), {message: /line 3 \(ACCT700, due\): "1,5" is not a decimal number/});
		const good = await fileWith(t, 'good.csv', 'id,due,paid,currency\nacct100,100,60,usd\n\nYEN1,1500,500,JPY\n');
		t.deepEqual(await importAccounts(db.accounts, good), {added: 2, updated: 0, unchanged: 0});
		t.is(formatMoney(balanceOf((await db.accounts.get('yen1'))!), 'JPY'), '1000 JPY');
		const plain = await fileWith(t, 'plain.csv', 'ID,Due,Paid\nACCT100,100.00,60\nACCT200,60,70\n');
		t.deepEqual(await importAccounts(db.accounts, plain), {added: 1, updated: 0, unchanged: 1});
	});
}

test('every kind of bad row is reported with file, line and field', async t => {
	const cases: Array<[string, string, string]> = [
		['missing.json', '{\n"A1": {"due": 1}\n}', 'line 2 (A1, paid): missing'],
		['text.json', '{\n"A1": {"due": "ten", "paid": 0}\n}', 'line 2 (A1, due): "ten" is not a decimal number'],
		['decimals.json', '{"A1": {"due": 1, "paid": 0},\n"A2": {"due": 1.005, "paid": 0}}', 'line 2 (A2, due): more than 2 decimals for USD'],
		['yen.json', '{"A1": {"due": "1.5", "paid": 0, "currency": "JPY"}}', 'line 1 (A1, due): JPY has no decimals'],
		['duplicate.json', '{\n"acct1": {"due": 1, "paid": 0},\n"ACCT1": {"due": 2, "paid": 0}\n}', 'line 3 (ACCT1, id): duplicate account (first on line 2)'],
		['same-key.json', '{\n"A1": {"due": 1, "paid": 0},\n"A1": {"due": 2, "paid": 0}\n}', 'line 3 (A1, id): duplicate account (first on line 2)'],
		['currency.json', '{\n"A1": {"due": 1, "paid": 0, "currency": "DOLLARS"}\n}', 'line 2 (A1, currency): unknown currency "DOLLARS"'],
		['typo.json', '{\n"A1": {"due": 1, "pade": 0}\n}', 'line 2 (A1, pade): unknown field'],
		['array.json', '[{"id": "A1"}]', 'line 1: expected an object of accounts'],
		['syntax.json', '{\n"A1": {"due": 1, "paid": 0}\n"A2": {}\n}', 'line 3: not valid JSON'],
		['id.json', '{\n"ACCT 1": {"due": 1, "paid": 0}\n}', 'line 2 (ACCT 1, id): account id "ACCT 1" is not an account id'],
		['negative.csv', 'id,due,paid\nA1,1,0\nA2,-3,0\n', 'line 3 (A2, due): negative'],
		['columns.csv', 'id,due\nA1,1\n', 'line 1 (paid): the header needs id,due,paid[,currency]; "paid" is missing'],
		['fields.csv', 'id,due,paid\nA1,1\n', 'line 2: expected 3 fields, found 2'],
		['duplicate.csv', 'id,due,paid\nA1,1,0\na1,1,0\n', 'line 3 (A1, id): duplicate account (first on line 2)'],
		['empty.csv', '', ': empty file'],
	];
	for (const [name, content, expected] of cases) {
		const file = await fileWith(t, name, content);
		const error = await importError(t, file);
		t.true(error.message.startsWith(file), `${name}: ${error.message}`);
		t.true(error.message.includes(expected), `${name}: ${error.message}`);
	}
});

test('a missing file says so', async t => {
	const error = await importError(t, '/nonexistent/accounts.json');
	t.is(error.message, '/nonexistent/accounts.json: no such file');
});

test('the original demo file parses to minor units with USD', async t => {
	t.deepEqual(await parseAccountsFile(seedFile), [
		{id: 'ACCT100', due: 10_000, paid: 6000, currency: 'USD'},
		{id: 'ACCT200', due: 6000, paid: 7000, currency: 'USD'},
		{id: 'ACCT300', due: 0, paid: 0, currency: 'USD'},
	]);
});

test('a JSON file saved with a UTF-8 byte-order mark imports, like a CSV one', async t => {
	const json = await parseAccountsFile(await fileWith(t, 'bom.json', '\uFEFF{"ACCT1": {"due": 10, "paid": 4}}\n'));
	const csv = await parseAccountsFile(await fileWith(t, 'bom.csv', '\uFEFFid,due,paid\nACCT1,10,4\n'));
	t.deepEqual(json, csv);
	t.is(json[0]?.id, 'ACCT1');
});

test('an import error shows control characters from the file as escapes, never raw', async t => {
	const error = await importError(t, await fileWith(t, 'evil.csv', 'id,due,paid\n"x\u001B]52;c;cm0gLXJmIH4=\u0007\r\u202E",1,1\n'));
	t.false(/[\u0000-\u001F\u007F-\u009F\u202E]/.test(error.message), error.message);
	t.regex(error.message, /\\x1b\]52;c;cm0gLXJmIH4=\\x07\\x0d\\u202e/);
	t.regex(error.message, /line 2/);
});
