// A PostgreSQL CRM that is not globobot's (its own schema, table and column
// names), read live through CRM_QUERY, on the real server.
import {randomBytes} from 'node:crypto';
import test, {type ExecutionContext} from 'ava';
import pg from 'pg';
import {ConfigError} from '../../../source/configError.js';
import {AccountSourceError} from '../../../source/crm/lookup.js';
import {openAccountSource, type AccountSource, type LookupOutcome} from '../../../source/crm/sources/index.js';
import {readCrmSettings} from '../../../source/crm/sources/settings.js';
import {postgresAvailable, postgresServerUrl} from '../../helpers/databases.js';
import {startTcpProxy} from '../../helpers/tcpProxy.js';

const pgTest = postgresAvailable ? test : test.skip;

type Context = Pick<ExecutionContext, 'teardown'>;

async function admin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({connectionString: postgresServerUrl});
	await client.connect();
	try {
		return await use(client);
	} finally {
		await client.end();
	}
}

/** A schema `ledger_…` with the bank's own names: account_ref, amount_owed, amount_settled, ccy, tier. */
async function crmSchema(t: Context): Promise<string> {
	const schema = `ledger_${process.pid}_${randomBytes(4).toString('hex')}`;
	await admin(async client => {
		await client.query(`CREATE SCHEMA ${schema}`);
		await client.query(`CREATE TABLE ${schema}.customer_balances (account_ref text PRIMARY KEY, amount_owed numeric(18,2) NOT NULL, amount_settled numeric(18,2) NOT NULL, ccy char(3), tier text)`);
		await client.query(
			`INSERT INTO ${schema}.customer_balances VALUES ('ACCT100', 100.00, 60.00, 'USD', 'retail'), ('ACCT200', 12345678901234.10, 0.05, 'EUR', NULL), ('ACCT300', 5, 0, NULL, 'private')`,
		);
	});
	t.teardown(async () => admin(async client => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)));
	return schema;
}

const queryFor = (schema: string) => `SELECT amount_owed AS due, amount_settled AS paid, ccy AS currency, tier AS segment FROM ${schema}.customer_balances WHERE account_ref = $1`;

async function open(t: Context, env: Record<string, string>, outcomes?: LookupOutcome[]): Promise<AccountSource> {
	const source = await openAccountSource(readCrmSettings(env), {onLookup: (_seconds, outcome) => outcomes?.push(outcome)});
	if (!source) throw new Error('no source');
	t.teardown(async () => source.close());
	return source;
}

pgTest('answers from the CRM schema through CRM_QUERY, amounts exact to the cent', async t => {
	const schema = await crmSchema(t);
	const source = await open(t, {CRM_URL: postgresServerUrl, CRM_QUERY: queryFor(schema)});
	const found = await source.getMany(['acct100', 'ACCT200', 'ACCT300', 'ACCT999']);
	t.deepEqual([...found.keys()].sort(), ['ACCT100', 'ACCT200', 'ACCT300']);
	t.like(found.get('ACCT100'), {due: 10_000, paid: 6000, currency: 'USD', segment: 'retail'});
	t.like(found.get('ACCT200'), {due: 1_234_567_890_123_410, paid: 5, currency: 'EUR'});
	t.is(found.get('ACCT200')?.segment, undefined);
	t.like(found.get('ACCT300'), {due: 500, paid: 0, currency: 'USD', segment: 'private'});
	t.is(source.description, 'postgres 127.0.0.1:5432/test (CRM_QUERY)');
});

pgTest('an UPDATE in the CRM shows in the very next lookup', async t => {
	const schema = await crmSchema(t);
	const source = await open(t, {CRM_URL: postgresServerUrl, CRM_QUERY: queryFor(schema)});
	t.is((await source.getMany(['ACCT100'])).get('ACCT100')?.paid, 6000);
	await admin(async client => client.query(`UPDATE ${schema}.customer_balances SET amount_settled = 99.99 WHERE account_ref = 'ACCT100'`));
	t.is((await source.getMany(['ACCT100'])).get('ACCT100')?.paid, 9999);
});

pgTest('the session is read-only: a query through a function that writes is refused and writes nothing', async t => {
	const schema = await crmSchema(t);
	await admin(async client =>
		client.query(
			`CREATE FUNCTION ${schema}.settle(ref text) RETURNS TABLE(due numeric, paid numeric) LANGUAGE sql AS $$ UPDATE ${schema}.customer_balances SET amount_settled = amount_owed WHERE account_ref = ref RETURNING amount_owed, amount_settled $$`,
		),
	);
	const error = await t.throwsAsync(openAccountSource(readCrmSettings({CRM_URL: postgresServerUrl, CRM_QUERY: `SELECT due, paid FROM ${schema}.settle($1)`})), {instanceOf: ConfigError});
	t.regex(error.message, /read-only transaction/);
	const paid = await admin(async client => (await client.query(`SELECT amount_settled::text AS paid FROM ${schema}.customer_balances WHERE account_ref = 'ACCT100'`)).rows[0].paid);
	t.is(paid, '60.00');
});

pgTest('a query without due or paid, or one that fails, is refused when the source opens', async t => {
	const schema = await crmSchema(t);
	const missing = await t.throwsAsync(
		openAccountSource(readCrmSettings({CRM_URL: postgresServerUrl, CRM_QUERY: `SELECT amount_owed AS due FROM ${schema}.customer_balances WHERE account_ref = $1`})),
		{instanceOf: ConfigError},
	);
	t.is(missing.message, 'CRM_QUERY must return the columns due and paid (missing paid); name them with AS');
	const failing = await t.throwsAsync(openAccountSource(readCrmSettings({CRM_URL: postgresServerUrl, CRM_QUERY: `SELECT due, paid FROM ${schema}.no_such_table WHERE id = $1`})), {
		instanceOf: ConfigError,
	});
	t.regex(failing.message, /^CRM_QUERY fails on postgres 127\.0\.0\.1:5432\/test \(CRM_QUERY\): relation .* does not exist$/);
});

pgTest('a bad figure in the CRM is invalid-data naming the account, not the figure', async t => {
	const schema = await crmSchema(t);
	await admin(async client => client.query(`UPDATE ${schema}.customer_balances SET amount_owed = -12.34 WHERE account_ref = 'ACCT100'`));
	const source = await open(t, {CRM_URL: postgresServerUrl, CRM_QUERY: queryFor(schema)});
	const error = await t.throwsAsync(source.getMany(['ACCT100']), {instanceOf: AccountSourceError});
	t.is(error.code, 'invalid-data');
	t.is(error.message, 'postgres 127.0.0.1:5432/test (CRM_QUERY): due of ACCT100 is negative');
});

pgTest('an outage through a proxy: unavailable while cut, timeout while hung, answers again once restored', async t => {
	const schema = await crmSchema(t);
	const server = new URL(postgresServerUrl);
	const proxy = await startTcpProxy({host: server.hostname, port: Number(server.port || 5432)});
	t.teardown(async () => proxy.close());
	const url = new URL(postgresServerUrl);
	url.port = String(proxy.port);
	const outcomes: LookupOutcome[] = [];
	const source = await open(t, {CRM_URL: url.toString(), CRM_QUERY: queryFor(schema), CRM_TIMEOUT: '1s'}, outcomes);
	t.is((await source.getMany(['ACCT100'])).size, 1);

	proxy.cut();
	for (let question = 0; question < 3; question++) {
		const error = await t.throwsAsync(source.getMany(['ACCT100']), {instanceOf: AccountSourceError});
		t.is(error.code, 'unavailable');
		t.false(error.message.includes('\n'));
	}

	proxy.restore();
	t.is((await source.getMany(['ACCT100'])).get('ACCT100')?.due, 10_000);

	proxy.stall();
	const started = Date.now();
	const hung = await t.throwsAsync(source.getMany(['ACCT100']), {instanceOf: AccountSourceError});
	t.is(hung.code, 'timeout');
	t.true(Date.now() - started < 2500, `gave up after ${Date.now() - started} ms`);

	proxy.restore();
	t.is((await source.getMany(['ACCT300'])).get('ACCT300')?.due, 500);
	t.deepEqual(outcomes, ['found', 'unavailable', 'unavailable', 'unavailable', 'found', 'timeout', 'found']);
});

pgTest('questions arriving together while the connection is cut all fail fast; once restored all are answered', async t => {
	const schema = await crmSchema(t);
	const server = new URL(postgresServerUrl);
	const proxy = await startTcpProxy({host: server.hostname, port: Number(server.port || 5432)});
	t.teardown(async () => proxy.close());
	const proxied = new URL(postgresServerUrl);
	proxied.port = String(proxy.port);
	const source = await open(t, {CRM_URL: proxied.toString(), CRM_QUERY: queryFor(schema), CRM_TIMEOUT: '1s', CRM_POOL: '4'});
	const ids = Array.from({length: 20}, (_unused, index) => ['ACCT100', 'ACCT200', 'ACCT300'][index % 3]!);
	proxy.cut();
	const during = await Promise.allSettled(ids.map(async id => source.getMany([id])));
	t.true(during.every(result => result.status === 'rejected' && result.reason instanceof AccountSourceError && result.reason.code === 'unavailable'));
	proxy.restore();
	const after = await Promise.all(ids.map(async id => source.getMany([id])));
	t.deepEqual(after.map(found => [...found.keys()]), ids.map(id => [id]));
});

pgTest('opened while the CRM is cut (as the listener does), the source waits it out and checks its query on the first answer', async t => {
	const schema = await crmSchema(t);
	const server = new URL(postgresServerUrl);
	const proxy = await startTcpProxy({host: server.hostname, port: Number(server.port || 5432)});
	t.teardown(async () => proxy.close());
	const proxied = new URL(postgresServerUrl);
	proxied.port = String(proxy.port);
	proxy.cut();
	await t.throwsAsync(openAccountSource(readCrmSettings({CRM_URL: proxied.toString(), CRM_QUERY: queryFor(schema)})), {instanceOf: AccountSourceError});
	const good = await openAccountSource(readCrmSettings({CRM_URL: proxied.toString(), CRM_QUERY: queryFor(schema)}), {openWhileUnreachable: true});
	const bad = await openAccountSource(readCrmSettings({CRM_URL: proxied.toString(), CRM_QUERY: `SELECT amount_owed AS due FROM ${schema}.customer_balances WHERE account_ref = $1`}), {
		openWhileUnreachable: true,
	});
	t.teardown(async () => Promise.all([good?.close(), bad?.close()]));
	t.is(good?.warnings.length, 1);
	t.regex(good!.warnings[0]!, /^the CRM is not reachable yet \(postgres 127\.0\.0\.1:\d+\/test \(CRM_QUERY\): .*\); CRM_QUERY's columns are checked on the first lookup$/);
	t.like(await t.throwsAsync(good!.getMany(['ACCT100'])), {code: 'unavailable'});
	proxy.restore();
	t.is((await good!.getMany(['ACCT100'])).get('ACCT100')?.due, 10_000);
	const error = await t.throwsAsync(bad!.getMany(['ACCT100']), {instanceOf: AccountSourceError});
	t.is(error.code, 'invalid-data');
	t.regex(error.message, /CRM_QUERY must return the columns due and paid \(missing paid\)/);
});

pgTest("CRM_URL's own ?options= cannot turn the read-only session off", async t => {
	const schema = await crmSchema(t);
	await admin(async client =>
		client.query(
			`CREATE FUNCTION ${schema}.settle(ref text) RETURNS TABLE(due numeric, paid numeric) LANGUAGE sql AS $$ UPDATE ${schema}.customer_balances SET amount_settled = amount_owed WHERE account_ref = ref RETURNING amount_owed, amount_settled $$`,
		),
	);
	const url = new URL(postgresServerUrl);
	url.searchParams.set('options', '-c default_transaction_read_only=off -c search_path=' + schema);
	const error = await t.throwsAsync(openAccountSource(readCrmSettings({CRM_URL: url.toString(), CRM_QUERY: 'SELECT due, paid FROM settle($1)'})), {instanceOf: ConfigError});
	t.regex(error.message, /read-only transaction/);
	// The URL's other options still apply: the unqualified table is found through its search_path.
	const source = await open(t, {CRM_URL: url.toString(), CRM_QUERY: 'SELECT amount_owed AS due, amount_settled AS paid FROM customer_balances WHERE account_ref = $1'});
	t.is((await source.getMany(['ACCT100'])).get('ACCT100')?.paid, 6000);
});
