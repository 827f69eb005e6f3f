// A SQLite file CRM that is not globobot's, read live and read-only.
import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import BetterSqlite3 from 'better-sqlite3';
import {ConfigError} from '../../../source/configError.js';
import {AccountSourceError} from '../../../source/crm/lookup.js';
import {openAccountSource, type AccountSource} from '../../../source/crm/sources/index.js';
import {readCrmSettings} from '../../../source/crm/sources/settings.js';
import {sqliteUrl} from '../../helpers/databases.js';

// Amounts kept as TEXT: SQLite's REAL is a float, and the CRM's own choice here is exactness.
const query = 'SELECT owed AS due, settled AS paid, ccy AS currency, band AS segment FROM ledger WHERE ref = ?';

async function crmFile(t: Parameters<typeof sqliteUrl>[0]): Promise<{file: string; crm: BetterSqlite3.Database}> {
	const file = await sqliteUrl(t);
	const crm = new BetterSqlite3(file);
	crm.pragma('journal_mode = WAL');
	crm.exec(`CREATE TABLE ledger (ref TEXT PRIMARY KEY, owed TEXT NOT NULL, settled NOT NULL, ccy TEXT, band TEXT);
		INSERT INTO ledger VALUES ('ACCT100', '100.00', '60.00', 'USD', 'retail'), ('ACCT200', '12345678901234.10', 5, 'eur', NULL), ('ACCT300', '1.234', 0, NULL, NULL);`);
	t.teardown(() => crm.close());
	return {file, crm};
}

async function open(t: Parameters<typeof sqliteUrl>[0], env: Record<string, string>): Promise<AccountSource> {
	const source = await openAccountSource(readCrmSettings(env));
	if (!source) throw new Error('no source');
	t.teardown(async () => source.close());
	return source;
}

test('answers from the CRM file through CRM_QUERY; an UPDATE shows in the very next lookup', async t => {
	const {file, crm} = await crmFile(t);
	const source = await open(t, {CRM_URL: file, CRM_QUERY: query});
	t.is(source.description, `sqlite ${path.resolve(file)} (CRM_QUERY)`);
	const found = await source.getMany(['acct100', 'ACCT200', 'ACCT999']);
	t.like(found.get('ACCT100'), {due: 10_000, paid: 6000, currency: 'USD', segment: 'retail'});
	t.like(found.get('ACCT200'), {due: 1_234_567_890_123_410, paid: 500, currency: 'EUR'});
	t.false(found.has('ACCT999'));
	crm.prepare("UPDATE ledger SET settled = '100.00' WHERE ref = 'ACCT100'").run();
	t.is((await source.getMany(['ACCT100'])).get('ACCT100')?.paid, 10_000);
});

test('a figure with more decimals than its currency has is invalid-data, without the figure', async t => {
	const {file} = await crmFile(t);
	const source = await open(t, {CRM_URL: file, CRM_QUERY: query});
	const error = await t.throwsAsync(source.getMany(['ACCT300']), {instanceOf: AccountSourceError});
	t.is(error.code, 'invalid-data');
	t.is(error.message, `sqlite ${path.resolve(file)} (CRM_QUERY): due of ACCT300 is more than 2 decimals for USD`);
});

test('the file is opened read-only: a missing one is refused, not created, and the CRM file is not written', async t => {
	const {file} = await crmFile(t);
	const missing = path.join(path.dirname(file), 'nowhere.db');
	const error = await t.throwsAsync(openAccountSource(readCrmSettings({CRM_URL: missing, CRM_QUERY: query})), {instanceOf: ConfigError});
	t.regex(error.message, /^CRM_URL names a SQLite file that cannot be opened/);
	t.false(existsSync(missing));
	const before = statSync(file).mtimeMs;
	const source = await open(t, {CRM_URL: file, CRM_QUERY: query});
	await source.getMany(['ACCT100']);
	await source.close();
	t.is(statSync(file).mtimeMs, before);
});

test('a query without due or paid, or naming a missing table, is refused when the source opens', async t => {
	const {file} = await crmFile(t);
	const missing = await t.throwsAsync(openAccountSource(readCrmSettings({CRM_URL: file, CRM_QUERY: 'SELECT owed AS amount, settled AS paid FROM ledger WHERE ref = ?'})), {instanceOf: ConfigError});
	t.is(missing.message, 'CRM_QUERY must return the columns due and paid (missing due); name them with AS');
	const failing = await t.throwsAsync(openAccountSource(readCrmSettings({CRM_URL: file, CRM_QUERY: 'SELECT due, paid FROM accounts WHERE id = ?'})), {instanceOf: ConfigError});
	t.is(failing.message, `CRM_QUERY fails on sqlite ${path.resolve(file)} (CRM_QUERY): no such table: accounts`);
});
