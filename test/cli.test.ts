// cli.tsx through the compiled CLI: help, typos, and options given before the subcommand.
import test from 'ava';
import {startSandbox} from '../source/sandbox/index.js';
import {runCli, tempHome} from './helpers/cli.js';

test('`help [command...]` works at every level, exit 0', async t => {
	const top = await runCli(['help']);
	t.is(top.code, 0, top.stderr);
	t.regex(top.stdout, /Usage: globobot-admin/);
	const nested = await runCli(['help', 'webhooks', 'create']);
	t.is(nested.code, 0, nested.stderr);
	t.regex(nested.stdout, /Usage: globobot-admin webhooks create/);
	t.regex(nested.stdout, /--secret-file <path>/);
	const unknown = await runCli(['help', 'webhoks']);
	t.is(unknown.code, 2);
	t.regex(unknown.stderr, /Did you mean webhooks\?/);
});

test('a mistyped command gets "Did you mean", exit 2, and nothing runs', async t => {
	const result = await runCli(['servee']);
	t.is(result.code, 2);
	t.regex(result.stderr, /unknown command 'servee'\n\(Did you mean serve\?\)/);
	t.notRegex(result.stderr, /terminal/, 'the TUI did not start');
});

test('--help shows examples and the environment variables the command reads', async t => {
	for (const [args, variables] of [
		[['serve', '--help'], ['WEBEX_TOKEN', 'DATABASE_URL', 'TLS_CERT', 'GLOBOBOT_MAX_RETRY_AFTER']],
		[['webhooks', 'list', '--help'], ['WEBEX_TOKEN', 'WEBEX_API_URL']],
		[['accounts', 'import', '--help'], ['DATABASE_URL']],
		[['doctor', '--help'], ['WEBEX_TOKEN', 'GLOBOBOT_ALLOW']],
	] as const) {
		const result = await runCli([...args]);
		t.is(result.code, 0);
		t.regex(result.stdout, /Examples:\n {2}.*globobot-admin/, args.join(' '));
		for (const variable of variables) t.true(result.stdout.includes(variable), `${args.join(' ')} names ${variable}`);
	}
});

test('doctor has no listener options: --concurrency is a usage error', async t => {
	const result = await runCli(['doctor', '--concurrency', '3']);
	t.is(result.code, 2);
	t.regex(result.stderr, /unknown option '--concurrency'/);
	t.notRegex((await runCli(['doctor', '--help'])).stdout, /--concurrency|--port|--host/);
});

test('an option before the subcommand applies to it: --api-url picks the tenant', async t => {
	const sandbox = await startSandbox();
	t.teardown(() => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	// The environment points at an API that is not there: only the flag can make this work.
	const env = {WEBEX_TOKEN: bot.token, WEBEX_API_URL: 'http://127.0.0.1:9/v1', GLOBOBOT_HOME: tempHome(t)};
	const result = await runCli(['--api-url', sandbox.url, 'webhooks', 'list', '--json'], env);
	t.is(result.code, 0, result.stderr);
	t.deepEqual(JSON.parse(result.stdout), []);
});

test('an option before the subcommand that does not apply to it stops the command, exit 2', async t => {
	const result = await runCli(['--port', '7000', 'webhooks', 'list'], {WEBEX_TOKEN: 'x', GLOBOBOT_HOME: tempHome(t)});
	t.is(result.code, 2);
	t.regex(result.stderr, /--port does not apply to `webhooks list`/);
	const twice = await runCli(['--database', 'a.db', 'accounts', 'list', '--database', 'b.db'], {GLOBOBOT_HOME: tempHome(t)});
	t.is(twice.code, 2);
	t.regex(twice.stderr, /--database is given twice/);
});

test('DEBUG stack traces point at the TypeScript sources, not minified chunks', async t => {
	const result = await runCli(['accounts', 'import', '/nonexistent/accounts.json'], {DEBUG: '1', GLOBOBOT_HOME: tempHome(t)});
	t.is(result.code, 1);
	t.regex(result.stderr, /at .*source\/commands\/accounts\.ts:\d+:\d+/);
});
