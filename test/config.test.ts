import {execFileSync} from 'node:child_process';
import {statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {ConfigError, loadConfig, webhookTargetUrl} from '../source/config.js';
import {startSandbox} from '../source/sandbox/index.js';
import {runCli, tempHome} from './helpers/cli.js';

const home = '/tmp/globobot-config-test';
const env = (values: Record<string, string>) => ({GLOBOBOT_HOME: home, ...values});

test('defaults match the original demo: port 5000, /wtwebhook, webexapis.com', t => {
	const config = loadConfig({}, env({}));
	t.is(config.port, 5000);
	t.is(config.webhookPath, '/wtwebhook');
	t.is(config.webexApiUrl, 'https://webexapis.com/v1');
	t.is(config.webexToken, undefined);
	t.deepEqual(config.allow, []);
	t.is(config.groupReply, 'dm');
	t.is(config.databaseUrl, `${home}/crm.db`);
	t.is(webhookTargetUrl(config), 'http://localhost:5000/wtwebhook');
});

test("the original demo's WT_API_TOKEN is accepted as an alias, WEBEX_TOKEN wins", t => {
	t.is(loadConfig({}, env({WT_API_TOKEN: 'old'})).webexToken, 'old');
	t.is(loadConfig({}, env({WT_API_TOKEN: 'old', WEBEX_TOKEN: 'new'})).webexToken, 'new');
});

test('WEBHOOK_SECRET is a list: the first signs, all verify', t => {
	const config = loadConfig({}, env({WEBHOOK_SECRET: 'new-secret-1, old-secret-2'}));
	t.deepEqual(config.webhookSecrets, ['new-secret-1', 'old-secret-2']);
});

test('flags override the environment', t => {
	const config = loadConfig({port: '7000', publicUrl: 'https://bot.example.com/', database: 'postgres://bot@db/crm'}, env({PORT: '6000'}));
	t.is(config.port, 7000);
	t.is(config.publicUrl, 'https://bot.example.com');
	t.is(config.databaseUrl, 'postgres://bot@db/crm');
});

for (const [name, values, expected] of [
	['a non-numeric port', {PORT: 'eighty'}, /PORT must be a number/],
	['a port out of range', {PORT: '70000'}, /PORT must be between 0 and 65535/],
	['a relative PUBLIC_URL', {PUBLIC_URL: 'bot.example.com'}, /PUBLIC_URL must be an absolute http\(s\) URL/],
	['an ftp WEBEX_API_URL', {WEBEX_API_URL: 'ftp://x'}, /WEBEX_API_URL must be an absolute http\(s\) URL/],
	['a bad allow entry', {GLOBOBOT_ALLOW: 'alice@example.com,bob'}, /GLOBOBOT_ALLOW entry "bob"/],
	['an unknown group reply mode', {GLOBOBOT_GROUP_REPLY: 'thread'}, /GLOBOBOT_GROUP_REPLY must be "dm" or "room"/],
	['a pattern that matches nothing', {GLOBOBOT_ACCOUNT_PATTERN: '('}, /GLOBOBOT_ACCOUNT_PATTERN/],
] as const) {
	test(`${name} stops with a one-line reason`, t => {
		const error = t.throws(() => loadConfig({}, env(values)), {instanceOf: ConfigError});
		t.regex(error.message, expected);
		t.false(error.message.includes('\n'));
		t.is(error.exitCode, 2);
	});
}

test('a short secret is refused without echoing it', t => {
	const error = t.throws(() => loadConfig({}, env({WEBHOOK_SECRET: 'abc'})), {instanceOf: ConfigError});
	t.regex(error.message, /at least 8 characters/);
	t.false(error.message.includes('abc'));
});

test('a TLS certificate without its key is refused', t => {
	t.throws(() => loadConfig({tlsCert: 'package.json'}, env({})), {message: /--tls-cert and --tls-key must be given together/});
	t.throws(() => loadConfig({tlsCert: 'missing.pem', tlsKey: 'missing.key'}, env({})), {message: /--tls-cert file not found/});
});


for (const [name, values, expected] of [
	['a lookbehind in the account pattern (valid JavaScript, not runnable)', {GLOBOBOT_ACCOUNT_PATTERN: '(?<![A-Z])ACCT\\d+'}, /^GLOBOBOT_ACCOUNT_PATTERN is not a pattern globobot can run/],
	['an account pattern that matches empty text', {GLOBOBOT_ACCOUNT_PATTERN: '\\d*'}, /^GLOBOBOT_ACCOUNT_PATTERN must not match empty text/],
	['a Retry-After cap that is not a duration', {GLOBOBOT_MAX_RETRY_AFTER: 'forever'}, /^GLOBOBOT_MAX_RETRY_AFTER must be a duration/],
	['HOST=256.1.1.1', {HOST: '256.1.1.1'}, /^HOST "256\.1\.1\.1" must be an IP address/],
	['a PostgreSQL URL without a user, and no PGUSER or USER', {DATABASE_URL: 'postgres://127.0.0.1/test'}, /^DATABASE_URL names no user/],
] as const) {
	test(`${name} stops with a one-line reason naming the setting`, t => {
		const error = t.throws(() => loadConfig({}, env(values)), {instanceOf: ConfigError});
		t.regex(error.message, expected);
		t.false(error.message.includes('\n'));
	});
}

test('the account patterns of the findings are accepted, since they run correctly', t => {
	t.is(loadConfig({}, env({GLOBOBOT_ACCOUNT_PATTERN: 'ACCT\\-\\d+'})).accountPattern, 'ACCT\\-\\d+');
	t.is(loadConfig({}, env({GLOBOBOT_ACCOUNT_PATTERN: '(?:[A-Z]+-?)+\\d{3}'})).accountPattern, '(?:[A-Z]+-?)+\\d{3}');
});

test('GLOBOBOT_MAX_RETRY_AFTER: 5 minutes by default; seconds, minutes and hours are understood', t => {
	t.is(loadConfig({}, env({})).maxRetryAfterMs, 300_000);
	t.is(loadConfig({}, env({GLOBOBOT_MAX_RETRY_AFTER: '90'})).maxRetryAfterMs, 90_000);
	t.is(loadConfig({}, env({GLOBOBOT_MAX_RETRY_AFTER: '30s'})).maxRetryAfterMs, 30_000);
	t.is(loadConfig({}, env({GLOBOBOT_MAX_RETRY_AFTER: '1h'})).maxRetryAfterMs, 3_600_000);
});

test('hosts that are addresses or names are accepted', t => {
	for (const host of ['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'bot.example.com']) t.is(loadConfig({host}, env({})).host, host);
});

test('a PostgreSQL URL without a user is fine when PGUSER or USER says who', t => {
	t.is(loadConfig({}, env({DATABASE_URL: 'postgres://127.0.0.1/test', USER: 'globobot'})).databaseUrl, 'postgres://127.0.0.1/test');
});

// The same rules through the compiled CLI, where an operator meets them: exit 2, one line naming the setting.
async function refusedAtStart(t: ExecutionContext, args: string[], values: Record<string, string>, expected: RegExp) {
	const sandbox = await startSandbox();
	t.teardown(() => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const home = tempHome(t);
	const result = await runCli(args, {WEBEX_TOKEN: bot.token, WEBEX_API_URL: sandbox.url, WEBHOOK_SECRET: 'configured-secret-123', GLOBOBOT_HOME: home, PORT: '0', GLOBOBOT_ALLOW: '*', PUBLIC_URL: 'https://bot.example.com', ...values});
	t.is(result.code, 2, result.stderr);
	t.regex(result.stderr.trim(), expected);
	t.is(result.stderr.trim().split('\n').length, 1, result.stderr);
	t.notRegex(result.stderr, /listening/);
	return home;
}

test('serve: a TLS_CERT or TLS_KEY that is not PEM stops it, exit 2, naming the setting', async t => {
	const folder = tempHome(t);
	const junk = path.join(folder, 'junk.pem');
	writeFileSync(junk, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
	await refusedAtStart(t, ['serve'], {TLS_CERT: junk, TLS_KEY: junk}, /^globobot-admin: TLS_CERT \(--tls-cert\) .*junk\.pem is not a PEM certificate$/m);
	const key = path.join(folder, 'key.pem');
	const cert = path.join(folder, 'cert.pem');
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], {stdio: 'ignore'});
	await refusedAtStart(t, ['serve'], {TLS_CERT: cert, TLS_KEY: junk}, /^globobot-admin: TLS_KEY \(--tls-key\) .*junk\.pem is not a PEM private key/m);
});

test('serve: HOST=256.1.1.1 stops it, exit 2, naming HOST', async t => {
	await refusedAtStart(t, ['serve'], {HOST: '256.1.1.1'}, /^globobot-admin: HOST "256\.1\.1\.1" must be an IP address/);
});

test('serve: DATABASE_URL=/etc/passwd is not a database: exit 2, and the file is left as it was', async t => {
	const before = statSync('/etc/passwd');
	await refusedAtStart(t, ['serve'], {DATABASE_URL: '/etc/passwd'}, /^globobot-admin: DATABASE_URL: \/etc\/passwd is not a SQLite database$/);
	const after = statSync('/etc/passwd');
	t.is(after.mode, before.mode);
	t.is(after.mtimeMs, before.mtimeMs);
});

test('serve: DATABASE_URL under a file (/etc/hostname/crm.db) stops it, exit 2', async t => {
	await refusedAtStart(t, ['serve'], {DATABASE_URL: '/etc/hostname/crm.db'}, /^globobot-admin: DATABASE_URL: \/etc\/hostname is not a folder$/);
});

test('serve: DATABASE_URL=/proc/x/y.db stops it at once, exit 2 (it used to spin at 100% CPU)', async t => {
	// runCli gives up after 30 s: a spin would show as a killed process, not as exit 2.
	await refusedAtStart(t, ['serve'], {DATABASE_URL: '/proc/x/y.db'}, /^globobot-admin: DATABASE_URL: cannot create the folder \/proc\/x \(ENOENT\)$/);
});

test('accounts import: a PostgreSQL URL without a user is one line naming DATABASE_URL, exit 2', async t => {
	const result = await runCli(['accounts', 'import', 'fixtures/seed/accounts.json'], {DATABASE_URL: 'postgres://127.0.0.1:5432/test', GLOBOBOT_HOME: tempHome(t)});
	t.is(result.code, 2);
	t.is(result.stderr, 'globobot-admin: DATABASE_URL names no user: use postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE\n');
});

test('serve: GLOBOBOT_ACCOUNT_PATTERN that RE2 cannot run stops it, exit 2', async t => {
	await refusedAtStart(t, ['serve'], {GLOBOBOT_ACCOUNT_PATTERN: '(?<![A-Z])ACCT\\d+'}, /^globobot-admin: GLOBOBOT_ACCOUNT_PATTERN is not a pattern globobot can run/);
});

test('GLOBOBOT_CATCH_UP_EVERY: 5m by default, 1s to 1d, 0 for none; anything else is a one-line ConfigError', t => {
	t.is(loadConfig({}, env({})).catchUpEveryMs, 300_000);
	t.is(loadConfig({}, env({GLOBOBOT_CATCH_UP_EVERY: '30s'})).catchUpEveryMs, 30_000);
	t.is(loadConfig({}, env({GLOBOBOT_CATCH_UP_EVERY: '0'})).catchUpEveryMs, 0);
	for (const bad of ['10', '500ms', '2d', 'often', '-5m']) {
		const error = t.throws(() => loadConfig({}, env({GLOBOBOT_CATCH_UP_EVERY: bad})), {instanceOf: ConfigError});
		t.regex(error!.message, /^GLOBOBOT_CATCH_UP_EVERY must be a duration from 1s to 1d[^\n]*$/);
	}
});

test('serve: a bad GLOBOBOT_CATCH_UP_EVERY stops it with one line, exit 2', async t => {
	await refusedAtStart(t, ['serve'], {GLOBOBOT_CATCH_UP_EVERY: 'often'}, /^globobot-admin: GLOBOBOT_CATCH_UP_EVERY must be a duration/);
});

test('GLOBOBOT_CATCH_UP: 1h by default, a duration, 0 for off; anything else is a one-line ConfigError', t => {
	t.is(loadConfig({}, env({})).catchUpMs, 3_600_000);
	t.is(loadConfig({}, env({GLOBOBOT_CATCH_UP: '30m'})).catchUpMs, 1_800_000);
	t.is(loadConfig({}, env({GLOBOBOT_CATCH_UP: '90s'})).catchUpMs, 90_000);
	t.is(loadConfig({}, env({GLOBOBOT_CATCH_UP: '0'})).catchUpMs, 0);
	for (const bad of ['10', '2w', '-1h', 'soon', '8d']) {
		const error = t.throws(() => loadConfig({}, env({GLOBOBOT_CATCH_UP: bad})), {instanceOf: ConfigError});
		t.regex(error!.message, /^GLOBOBOT_CATCH_UP must be a duration[^\n]*$/);
	}
});
