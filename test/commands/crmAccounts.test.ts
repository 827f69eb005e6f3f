// `accounts get|list|import` with CRM_URL set, through the compiled CLI as a
// user runs it: get reads the live CRM, list and import refuse in one line.
import {existsSync} from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import BetterSqlite3 from 'better-sqlite3';
import {runCli, tempHome} from '../helpers/cli.js';

const built = existsSync('dist/cli.js') ? test : test.skip;

const query = 'SELECT owed AS due, settled AS paid, ccy AS currency FROM ledger WHERE ref = ?';

function crmFile(t: ExecutionContext): {env: Record<string, string>; crm: BetterSqlite3.Database; file: string} {
	const home = tempHome(t);
	const file = path.join(home, 'bank-crm.db');
	const crm = new BetterSqlite3(file);
	crm.exec("CREATE TABLE ledger (ref TEXT PRIMARY KEY, owed TEXT, settled TEXT, ccy TEXT); INSERT INTO ledger VALUES ('ACCT100', '12345678901234.10', '0.10', 'USD')");
	t.teardown(() => crm.close());
	return {env: {GLOBOBOT_HOME: home, CRM_URL: file, CRM_QUERY: query}, crm, file};
}

built('accounts get reads the CRM itself, exactly, and sees its changes at once', async t => {
	const {env, crm} = crmFile(t);
	const table = await runCli(['accounts', 'get', 'acct100'], env);
	t.is(table.code, 0, table.stderr);
	t.regex(table.stdout, /^ACCT100 +12345678901234\.10 +0\.10 +12345678901234\.00 USD$/m);
	crm.prepare("UPDATE ledger SET settled = '4.10' WHERE ref = 'ACCT100'").run();
	const json = await runCli(['accounts', 'get', 'ACCT100', '--json'], env);
	t.like(JSON.parse(json.stdout), {id: 'ACCT100', due: '12345678901234.10', paid: '4.10', balance: '12345678901230.00', currency: 'USD'});
	const unknown = await runCli(['accounts', 'get', 'ACCT999'], env);
	t.is(unknown.code, 1);
	t.regex(unknown.stderr, /^globobot-admin: no account ACCT999 in the CRM \(sqlite .*bank-crm\.db \(CRM_QUERY\)\)\n$/);
});

built('accounts import refuses with exit 2 and list with exit 1, one line each, touching nothing', async t => {
	const {env, file} = crmFile(t);
	const imported = await runCli(['accounts', 'import', 'fixtures/seed/accounts.json'], env);
	t.is(imported.code, 2);
	t.is(imported.stderr, `globobot-admin: accounts import fills globobot's own store, but balances come from the CRM (sqlite ${file} (CRM_QUERY)); change them in the CRM\n`);
	const listed = await runCli(['accounts', 'list'], env);
	t.is(listed.code, 1);
	t.is(listed.stderr, `globobot-admin: the CRM (sqlite ${file} (CRM_QUERY)) cannot be listed from globobot; use accounts get ID\n`);
	t.false(existsSync(path.join(env['GLOBOBOT_HOME']!, 'crm.db')));
});

built('a query whose result lacks paid stops at start-up: one line, exit 2', async t => {
	const {env} = crmFile(t);
	const result = await runCli(['accounts', 'get', 'ACCT100'], {...env, CRM_QUERY: 'SELECT owed AS due FROM ledger WHERE ref = ?'});
	t.is(result.code, 2);
	t.is(result.stderr, 'globobot-admin: CRM_QUERY must return the columns due and paid (missing paid); name them with AS\n');
});

built('an unreachable CRM is exit 1 with its password hidden', async t => {
	const result = await runCli(['accounts', 'get', 'ACCT100'], {
		GLOBOBOT_HOME: tempHome(t),
		CRM_URL: 'postgres://crm:pa55-word-xyz@127.0.0.1:1/crm',
		CRM_QUERY: 'SELECT due, paid FROM a WHERE id = $1',
	});
	t.is(result.code, 1);
	t.regex(result.stderr, /^globobot-admin: cannot reach the CRM: postgres 127\.0\.0\.1:1\/crm \(CRM_QUERY\): .*ECONNREFUSED.*\n$/);
	t.false(result.stderr.includes('pa55-word-xyz'));
});

built("a CRM's own error text is escaped before it reaches the terminal", async t => {
	const {env} = crmFile(t);
	const result = await runCli(['accounts', 'get', 'ACCT100'], {...env, CRM_QUERY: 'SELECT due, paid FROM "x\u001B]52;c;aGk=\u0007" WHERE id = ?'});
	t.is(result.code, 2);
	t.false(result.stderr.includes('\u001B'));
	t.regex(result.stderr, /no such table: x\\x1b\]52;c;aGk=\\x07\n$/);
});
