import path from 'node:path';
import test from 'ava';
import BetterSqlite3 from 'better-sqlite3';
import {accountSourceChecks} from '../../source/commands/accountSourceCheck.js';
import {formatCheck} from '../../source/commands/doctor.js';
import {loadConfig} from '../../source/config.js';
import {sqliteUrl} from '../helpers/databases.js';

const config = (env: Record<string, string>) => loadConfig({}, {GLOBOBOT_HOME: '/tmp/globobot-doctor-crm', ...env});

test('no CRM_URL: no account-source check (the database check covers the embedded store)', async t => {
	t.deepEqual(await accountSourceChecks(config({})), []);
});

test('a reachable CRM: connected, queried, and how long each took', async t => {
	const file = await sqliteUrl(t);
	const crm = new BetterSqlite3(file);
	crm.exec("CREATE TABLE ledger (ref TEXT, owed TEXT, settled TEXT); INSERT INTO ledger VALUES ('ACCT1', '1.00', '0')");
	crm.close();
	const [check] = await accountSourceChecks(config({CRM_URL: file, CRM_QUERY: 'SELECT owed AS due, settled AS paid FROM ledger WHERE ref = ?'}));
	t.true(check?.ok);
	t.regex(formatCheck(check!), new RegExp(`^✔ account source: sqlite ${path.resolve(file).replaceAll('/', '\\/')} \\(CRM_QUERY\\): connected in \\d+ ms, a query in \\d+ ms$`));
});

test('an unreachable CRM fails the check with what to do, its password hidden', async t => {
	const [check] = await accountSourceChecks(config({CRM_URL: 'mysql://crm:topsecret-pw@127.0.0.1:1/crm', CRM_QUERY: 'SELECT due, paid FROM a WHERE id = ?'}));
	t.false(check?.ok);
	t.regex(formatCheck(check!), /^✘ account source: unavailable: mysql 127\.0\.0\.1:1\/crm \(CRM_QUERY\): connect ECONNREFUSED 127\.0\.0\.1:1 — check CRM_URL, the network, and that the CRM is up$/);
	t.false(JSON.stringify(check).includes('topsecret-pw'));
});

test('a query without due fails the check naming CRM_QUERY', async t => {
	const file = await sqliteUrl(t);
	new BetterSqlite3(file).exec('CREATE TABLE ledger (ref TEXT, settled TEXT)');
	const [check] = await accountSourceChecks(config({CRM_URL: file, CRM_QUERY: 'SELECT settled AS paid FROM ledger WHERE ref = ?'}));
	t.false(check?.ok);
	t.is(check?.detail, 'CRM_QUERY must return the columns due and paid (missing due); name them with AS');
});
