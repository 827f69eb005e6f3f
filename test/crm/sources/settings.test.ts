// CRM_* settings through loadConfig (the one reader of the environment), and
// through the compiled CLI for the exit code and the one line a user sees.
import {existsSync} from 'node:fs';
import test from 'ava';
import {ConfigError, loadConfig} from '../../../source/config.js';
import {describeCrmSettings} from '../../../source/crm/sources/settings.js';
import {runCli, tempHome} from '../../helpers/cli.js';

const home = '/tmp/globobot-crm-settings-test';
const config = (values: Record<string, string>) => loadConfig({}, {GLOBOBOT_HOME: home, ...values});

test('without CRM_URL the embedded store answers; the defaults are 2 s, 2 min and 4 connections', t => {
	const settings = config({});
	t.is(settings.crmUrl, undefined);
	t.is(settings.crmTimeoutMs, 2000);
	t.is(settings.crmMaxWaitMs, 120_000);
	t.is(settings.crmPool, 4);
	t.deepEqual(settings.crmFields, {due: '/due', paid: '/paid', currency: '/currency', segment: '/segment'});
});

test('durations, the pool and the JSON pointers are read', t => {
	const settings = config({
		CRM_URL: 'https://crm.example/api/accounts/{id}',
		CRM_FIELDS: 'due=/amounts/due, paid=/amounts/paid,currency=/meta/ccy~1code',
		CRM_TIMEOUT: '500ms',
		CRM_MAX_WAIT: '1.5m',
		CRM_POOL: '8',
	});
	t.is(settings.crmTimeoutMs, 500);
	t.is(settings.crmMaxWaitMs, 90_000);
	t.is(settings.crmPool, 8);
	t.deepEqual(settings.crmFields, {due: '/amounts/due', paid: '/amounts/paid', currency: '/meta/ccy~1code', segment: undefined});
});

test('describeCrmSettings hides the CRM password and token', t => {
	const described = describeCrmSettings(config({CRM_URL: 'postgres://crm:hunter2hunter2@db.example:6432/crm', CRM_QUERY: 'SELECT due, paid FROM a WHERE id = $1'}));
	t.is(described['crmUrl'], 'postgres db.example:6432/crm (CRM_QUERY)');
	t.false(JSON.stringify(described).includes('hunter2'));
	const http = describeCrmSettings(config({CRM_URL: 'https://crm.example/api/accounts/{id}?key=abc123', CRM_TOKEN: 'tok-secret'}));
	t.is(http['crmUrl'], 'http https://crm.example/api/accounts/{id}?…');
	t.is(http['crmToken'], '(set)');
	t.false(JSON.stringify(http).includes('tok-secret'));
	t.false(JSON.stringify(http).includes('abc123'));
});

const sql = 'SELECT due, paid FROM a WHERE id = ?';
for (const [name, values, message] of [
	['an unknown scheme', {CRM_URL: 'oracle://crm.example/crm', CRM_QUERY: sql}, 'CRM_URL has an unknown scheme "oracle:"; use postgres://, mysql://, mariadb://, https:// or a SQLite file path'],
	['a non-SELECT query', {CRM_URL: 'mysql://crm.example/crm', CRM_QUERY: 'DELETE FROM a WHERE id = ?'}, 'CRM_QUERY must be a SELECT'],
	['two statements', {CRM_URL: '/srv/crm.db', CRM_QUERY: `${sql}; DROP TABLE a`}, 'CRM_QUERY must be a single statement (no ";" between statements)'],
	['a SQL CRM without a query', {CRM_URL: 'postgres://crm.example/crm'}, 'CRM_QUERY is required for a SQL CRM: a SELECT returning due and paid for the account id $1'],
	['a bad JSON pointer', {CRM_URL: 'https://crm.example/a/{id}', CRM_FIELDS: 'due=amounts/due,paid=/paid'}, 'CRM_FIELDS pointer "amounts/due" must start with /'],
	['a bad ~ escape', {CRM_URL: 'https://crm.example/a/{id}', CRM_FIELDS: 'due=/a~2b,paid=/paid'}, 'CRM_FIELDS pointer "/a~2b" has a ~ not followed by 0 or 1'],
	['fields without paid', {CRM_URL: 'https://crm.example/a/{id}', CRM_FIELDS: 'due=/due'}, 'CRM_FIELDS must map both due and paid'],
	['an unknown field', {CRM_URL: 'https://crm.example/a/{id}', CRM_FIELDS: 'due=/due,paid=/paid,owner=/owner'}, 'CRM_FIELDS names "owner"; use due, paid, currency or segment'],
	['http:// to a remote host', {CRM_URL: 'http://crm.example/a/{id}'}, 'CRM_URL must use https:// (http:// is allowed only for a loopback host)'],
	['an HTTP URL without {id}', {CRM_URL: 'https://crm.example/accounts'}, 'CRM_URL for an HTTP CRM must contain {id}, e.g. https://crm.example/api/accounts/{id}'],
	['a query for an HTTP CRM', {CRM_URL: 'https://crm.example/a/{id}', CRM_QUERY: sql}, 'CRM_QUERY is for a SQL CRM; an HTTP CRM is read through CRM_FIELDS'],
	['a query without CRM_URL', {CRM_QUERY: sql}, 'CRM_QUERY is set but CRM_URL is not'],
	['a bare-number timeout', {CRM_TIMEOUT: '2000'}, 'CRM_TIMEOUT must be a duration like 500ms, 2s or 2m'],
	['a zero pool', {CRM_POOL: '0'}, 'CRM_POOL must be a whole number from 1 to 64'],
] as const) {
	test(`${name} stops with a one-line reason naming the setting`, t => {
		const error = t.throws(() => config(values), {instanceOf: ConfigError});
		t.is(error.message, message);
		t.is(error.exitCode, 2);
	});
}

const built = existsSync('dist/cli.js') ? test : test.skip;

for (const [name, values, line] of [
	['an unknown scheme', {CRM_URL: 'oracle://crm/crm', CRM_QUERY: sql}, /^globobot-admin: CRM_URL has an unknown scheme "oracle:"/],
	['a non-SELECT query', {CRM_URL: 'postgres://127.0.0.1/test', CRM_QUERY: 'UPDATE a SET paid = due WHERE id = $1'}, /^globobot-admin: CRM_QUERY must be a SELECT$/],
	['bad JSON pointers', {CRM_URL: 'https://crm.example/a/{id}', CRM_FIELDS: 'due=/due,paid=paid'}, /^globobot-admin: CRM_FIELDS pointer "paid" must start with \/$/],
] as const) {
	built(`the CLI refuses ${name}: one line on stderr, exit 2`, async t => {
		const result = await runCli(['accounts', 'get', 'ACCT100'], {GLOBOBOT_HOME: tempHome(t), ...values});
		t.is(result.code, 2);
		t.regex(result.stderr.trimEnd(), line);
		t.is(result.stderr.trimEnd().split('\n').length, 1);
		t.is(result.stdout, '');
	});
}
