// A MySQL/MariaDB CRM that is not globobot's (its own table and column
// names), read live through CRM_QUERY, on the real MariaDB server.
import test, {type ExecutionContext} from 'ava';
import {ConfigError} from '../../../source/configError.js';
import {AccountSourceError} from '../../../source/crm/lookup.js';
import {openAccountSource, type AccountSource, type LookupOutcome} from '../../../source/crm/sources/index.js';
import {readCrmSettings} from '../../../source/crm/sources/settings.js';
import {startTcpProxy} from '../../helpers/tcpProxy.js';
import {mysqlAvailable, mysqlDatabase, mysqlRun, mysqlServerUrl} from './mariadb.js';

const mysqlTest = mysqlAvailable ? test : test.skip;

type Context = Pick<ExecutionContext, 'teardown'>;

const query = 'SELECT c.balance_owed AS due, c.balance_settled AS paid, c.iso_ccy AS currency, c.band AS segment FROM cust_acct c WHERE c.acct_code = ?';

async function crm(t: Context, scheme: 'mysql' | 'mariadb' = 'mysql'): Promise<{name: string; url: string}> {
	const database = await mysqlDatabase(t, scheme);
	await mysqlRun(
		database.name,
		`CREATE TABLE cust_acct (acct_code VARCHAR(64) PRIMARY KEY, balance_owed DECIMAL(18,2) NOT NULL, balance_settled DECIMAL(18,2) NOT NULL, iso_ccy CHAR(3), band VARCHAR(20));
		 INSERT INTO cust_acct VALUES ('ACCT100', 100.00, 60.00, 'USD', 'retail'), ('ACCT200', 12345678901234.10, 0.05, 'EUR', NULL), ('ACCT300', 5, 0, NULL, 'private');`,
	);
	return database;
}

async function open(t: Context, env: Record<string, string>, outcomes?: LookupOutcome[]): Promise<AccountSource> {
	const source = await openAccountSource(readCrmSettings(env), {onLookup: (_seconds, outcome) => outcomes?.push(outcome)});
	if (!source) throw new Error('no source');
	t.teardown(async () => source.close());
	return source;
}

mysqlTest('answers from the CRM table through CRM_QUERY, amounts exact to the cent', async t => {
	const {url, name} = await crm(t);
	const source = await open(t, {CRM_URL: url, CRM_QUERY: query});
	const found = await source.getMany(['acct100', 'ACCT200', 'ACCT300', 'ACCT999']);
	t.deepEqual([...found.keys()].sort(), ['ACCT100', 'ACCT200', 'ACCT300']);
	t.like(found.get('ACCT100'), {due: 10_000, paid: 6000, currency: 'USD', segment: 'retail'});
	t.like(found.get('ACCT200'), {due: 1_234_567_890_123_410, paid: 5, currency: 'EUR'});
	t.like(found.get('ACCT300'), {due: 500, paid: 0, currency: 'USD', segment: 'private'});
	t.is(source.description, `mysql 127.0.0.1:3306/${name} (CRM_QUERY)`);
});

mysqlTest('mariadb:// is the same source; an UPDATE shows in the very next lookup', async t => {
	const {url, name} = await crm(t, 'mariadb');
	const source = await open(t, {CRM_URL: url, CRM_QUERY: query});
	t.is(source.description, `mariadb 127.0.0.1:3306/${name} (CRM_QUERY)`);
	t.is((await source.getMany(['ACCT100'])).get('ACCT100')?.paid, 6000);
	await mysqlRun(name, "UPDATE cust_acct SET balance_settled = 99.99 WHERE acct_code = 'ACCT100'");
	t.is((await source.getMany(['ACCT100'])).get('ACCT100')?.paid, 9999);
});

mysqlTest('the session is read-only: a query through a function that writes is refused and writes nothing', async t => {
	const {url, name} = await crm(t);
	await mysqlRun(name, "CREATE FUNCTION settle(ref VARCHAR(64)) RETURNS INT MODIFIES SQL DATA BEGIN UPDATE cust_acct SET balance_settled = balance_owed WHERE acct_code = ref; RETURN 1; END");
	const error = await t.throwsAsync(
		openAccountSource(readCrmSettings({CRM_URL: url, CRM_QUERY: 'SELECT c.balance_owed AS due, c.balance_settled AS paid FROM cust_acct c WHERE settle(c.acct_code) = 1 AND c.acct_code = ?'})),
		{instanceOf: ConfigError},
	);
	t.regex(error.message, /READ ONLY transaction/i);
	const rows = (await mysqlRun(name, "SELECT CAST(balance_settled AS CHAR) AS paid FROM cust_acct")) as Array<{paid: string}>;
	t.deepEqual(rows.map(row => row.paid).sort(), ['0.00', '0.05', '60.00']);
});

mysqlTest('a query without due or paid, or one that fails, is refused when the source opens', async t => {
	const {url} = await crm(t);
	const missing = await t.throwsAsync(openAccountSource(readCrmSettings({CRM_URL: url, CRM_QUERY: 'SELECT balance_settled AS paid FROM cust_acct WHERE acct_code = ?'})), {instanceOf: ConfigError});
	t.is(missing.message, 'CRM_QUERY must return the columns due and paid (missing due); name them with AS');
	const failing = await t.throwsAsync(openAccountSource(readCrmSettings({CRM_URL: url, CRM_QUERY: 'SELECT due, paid FROM no_such_table WHERE id = ?'})), {instanceOf: ConfigError});
	t.regex(failing.message, /^CRM_QUERY fails on mysql 127\.0\.0\.1:3306\/crm_\w+ \(CRM_QUERY\): Table .* doesn't exist$/);
});

mysqlTest('a password in CRM_URL appears in no description and no error', async t => {
	const url = new URL(mysqlServerUrl);
	url.username = 'globobot_nobody';
	url.password = 's3cret-pass';
	const error = await t.throwsAsync(openAccountSource(readCrmSettings({CRM_URL: url.toString(), CRM_QUERY: query})), {instanceOf: AccountSourceError});
	t.is(error.code, 'unavailable');
	t.regex(error.message, /^mysql 127\.0\.0\.1:3306\/test \(CRM_QUERY\): Access denied/);
	t.false(error.message.includes('s3cret-pass'));
});

mysqlTest('an outage through a proxy: unavailable while cut, timeout while hung, answers again once restored', async t => {
	const {url, name} = await crm(t);
	const server = new URL(mysqlServerUrl);
	const proxy = await startTcpProxy({host: server.hostname, port: Number(server.port || 3306)});
	t.teardown(async () => proxy.close());
	const proxied = new URL(url);
	proxied.port = String(proxy.port);
	const outcomes: LookupOutcome[] = [];
	const source = await open(t, {CRM_URL: proxied.toString(), CRM_QUERY: query, CRM_TIMEOUT: '1s'}, outcomes);
	t.is((await source.getMany(['ACCT100'])).size, 1);

	proxy.cut();
	for (let question = 0; question < 3; question++) {
		const error = await t.throwsAsync(source.getMany(['ACCT100']), {instanceOf: AccountSourceError});
		t.is(error.code, 'unavailable', error.message);
	}

	proxy.restore();
	t.is((await source.getMany(['ACCT100'])).get('ACCT100')?.due, 10_000);

	proxy.stall();
	const started = Date.now();
	const hung = await t.throwsAsync(source.getMany(['ACCT100']), {instanceOf: AccountSourceError});
	t.is(hung.code, 'timeout');
	t.true(Date.now() - started < 2500, `gave up after ${Date.now() - started} ms`);

	proxy.restore();
	await mysqlRun(name, "UPDATE cust_acct SET balance_owed = 7 WHERE acct_code = 'ACCT300'");
	t.is((await source.getMany(['ACCT300'])).get('ACCT300')?.due, 700);
	t.deepEqual(outcomes, ['found', 'unavailable', 'unavailable', 'unavailable', 'found', 'timeout', 'found']);
});

mysqlTest('questions arriving together while the connection is cut all fail fast; once restored all are answered', async t => {
	const {url} = await crm(t);
	const server = new URL(mysqlServerUrl);
	const proxy = await startTcpProxy({host: server.hostname, port: Number(server.port || 3306)});
	t.teardown(async () => proxy.close());
	const proxied = new URL(url);
	proxied.port = String(proxy.port);
	const source = await open(t, {CRM_URL: proxied.toString(), CRM_QUERY: query, CRM_TIMEOUT: '1s', CRM_POOL: '4'});
	const ids = Array.from({length: 20}, (_unused, index) => ['ACCT100', 'ACCT200', 'ACCT300'][index % 3]!);
	proxy.cut();
	const during = await Promise.allSettled(ids.map(async id => source.getMany([id])));
	t.true(during.every(result => result.status === 'rejected' && result.reason instanceof AccountSourceError && result.reason.code === 'unavailable'));
	proxy.restore();
	const after = await Promise.all(ids.map(async id => source.getMany([id])));
	t.deepEqual(after.map(found => [...found.keys()]), ids.map(id => [id]));
});

mysqlTest('CRM_POOL bounds the connections to the CRM', async t => {
	const {url} = await crm(t);
	const server = new URL(mysqlServerUrl);
	const proxy = await startTcpProxy({host: server.hostname, port: Number(server.port || 3306)});
	t.teardown(async () => proxy.close());
	const proxied = new URL(url);
	proxied.port = String(proxy.port);
	const source = await open(t, {CRM_URL: proxied.toString(), CRM_QUERY: query, CRM_POOL: '2'});
	const ids = Array.from({length: 30}, (_unused, index) => `ACCT${index}`);
	await Promise.all([source.getMany(ids), source.getMany(ids), source.getMany(ids)]);
	t.true(proxy.accepted <= 2, `${proxy.accepted} connections`);
});
