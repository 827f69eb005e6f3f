import {statSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {startSandbox} from '../../source/sandbox/index.js';
import type {Sandbox} from '../../source/sandbox/types.js';
import {runCli, runCliInTerminal, tempHome} from '../helpers/cli.js';

const secret = 'configured-secret-123';

async function setup(t: ExecutionContext) {
	const sandbox = await startSandbox();
	t.teardown(() => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const env = {WEBEX_API_URL: sandbox.url, WEBEX_TOKEN: bot.token, GLOBOBOT_HOME: tempHome(t), PUBLIC_URL: 'https://bot.example.com', WEBHOOK_SECRET: secret};
	return {sandbox, bot, env};
}

const createWebhook = (sandbox: Sandbox, token: string, body: Record<string, string>) =>
	fetch(`${sandbox.url}/webhooks`, {method: 'POST', headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'}, body: JSON.stringify(body)}).then(
		async response => (await response.json()) as {id: string},
	);

test('create with no options does what add_webhook.py did, safely', async t => {
	const {sandbox, env} = await setup(t);
	const result = await runCli(['webhooks', 'create', '--json'], env);
	t.is(result.code, 0, result.stderr);
	const [webhook] = sandbox.webhooks();
	t.like(webhook, {targetUrl: 'https://bot.example.com/wtwebhook', resource: 'messages', event: 'created', secret, status: 'active'});
	// No filter, as add_webhook.py: a mention filter would keep every direct message out.
	t.is(webhook?.filter, undefined);
	const printed = JSON.parse(result.stdout) as Record<string, unknown>;
	t.is(printed['filter'], null);
	t.deepEqual(Object.keys(printed).sort(), ['created', 'event', 'filter', 'hasSecret', 'id', 'name', 'resource', 'status', 'targetUrl']);
	t.is(printed['hasSecret'], true);
	t.false(result.stdout.includes(secret), 'the secret is never printed');
});

test('create with no secret configured generates one, saves it owner-only, and the listener config reads it back', async t => {
	const {sandbox, env} = await setup(t);
	const {WEBHOOK_SECRET: _unused, ...withoutSecret} = env;
	const result = await runCli(['webhooks', 'create'], withoutSecret);
	t.is(result.code, 0, result.stderr);
	const file = path.join(env.GLOBOBOT_HOME, 'webhook-secret');
	t.is(statSync(file).mode & 0o777, 0o600);
	const saved = readFileSync(file, 'utf8').trim();
	t.true(saved.length >= 32);
	t.is(sandbox.webhooks()[0]?.secret, saved);
	t.regex(result.stderr, /generated a webhook secret/);
	t.false(result.stdout.includes(saved) || result.stderr.includes(saved));
});

test('list --json follows every page and never shows secrets', async t => {
	const {sandbox, bot, env} = await setup(t);
	for (let index = 0; index < 105; index++) {
		await createWebhook(sandbox, bot.token, {name: `hook-${index}`, targetUrl: 'https://x.example.com/h', resource: 'messages', event: 'created', secret});
	}
	const result = await runCli(['webhooks', 'list', '--json'], env);
	t.is(result.code, 0, result.stderr);
	const listed = JSON.parse(result.stdout) as Array<{name: string; hasSecret: boolean}>;
	t.is(listed.length, 105, 'more than one page of 100');
	t.true(listed.every(webhook => webhook.hasSecret));
	t.false(result.stdout.includes(secret));
});

test('list marks webhooks that target this listener and inactive ones', async t => {
	const {sandbox, bot, env} = await setup(t);
	await createWebhook(sandbox, bot.token, {name: 'ours', targetUrl: 'https://bot.example.com/wtwebhook', resource: 'messages', event: 'created', secret});
	await createWebhook(sandbox, bot.token, {name: 'theirs', targetUrl: 'https://other.example.com/', resource: 'messages', event: 'created'});
	const result = await runCli(['webhooks', 'list'], env);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /bot\.example\.com\/wtwebhook {2}\(active, signed, this listener\)/);
	t.regex(result.stdout, /other\.example\.com\/ {2}\(active, no secret\)/);
	t.regex(result.stdout, /2 webhooks/);
});

test('update changes the target and keeps the name; reactivate sets an inactive webhook active', async t => {
	const {sandbox, bot, env} = await setup(t);
	const {id} = await createWebhook(sandbox, bot.token, {name: 'keep-me', targetUrl: 'https://old.example.com/', resource: 'messages', event: 'created'});
	const updated = await runCli(['webhooks', 'update', id, '--url', 'https://new.example.com/wtwebhook'], env);
	t.is(updated.code, 0, updated.stderr);
	t.like(sandbox.webhooks()[0], {name: 'keep-me', targetUrl: 'https://new.example.com/wtwebhook'});

	const already = await runCli(['webhooks', 'reactivate', id], env);
	t.is(already.code, 0);
	t.regex(already.stdout, /already active/);
});

test('delete outside a terminal refuses without --yes and deletes nothing', async t => {
	const {sandbox, bot, env} = await setup(t);
	const {id} = await createWebhook(sandbox, bot.token, {name: 'x', targetUrl: 'https://x.example.com/', resource: 'messages', event: 'created'});
	const refused = await runCli(['webhooks', 'delete', id], env);
	t.is(refused.code, 2);
	t.regex(refused.stderr, /refusing to delete without --yes/);
	t.is(sandbox.webhooks().length, 1);

	const deleted = await runCli(['webhooks', 'delete', id, '--yes', '--json'], env);
	t.is(deleted.code, 0, deleted.stderr);
	t.deepEqual(JSON.parse(deleted.stdout), {deleted: [id], failed: []});
	t.is(sandbox.webhooks().length, 0);
});

test('an unknown webhook id is a failure (exit 1) that names the id', async t => {
	const {env} = await setup(t);
	const deleted = await runCli(['webhooks', 'delete', 'no-such-id', '--yes'], env);
	t.is(deleted.code, 1);
	t.regex(deleted.stderr, /no webhook no-such-id/);
	const updated = await runCli(['webhooks', 'update', 'no-such-id', '--name', 'x'], env);
	t.is(updated.code, 1);
	t.regex(updated.stderr, /404/);
});

test('a rejected token is a configuration error (exit 2) naming WEBEX_TOKEN and the trackingId, never the token', async t => {
	const {env} = await setup(t);
	const result = await runCli(['webhooks', 'list'], {...env, WEBEX_TOKEN: 'wrong-token-value'});
	t.is(result.code, 2);
	t.regex(result.stderr, /^globobot-admin: Webex rejected WEBEX_TOKEN \(401, trackingId \S+\)/);
	t.false(result.stderr.includes('wrong-token-value'));
});

test('an unreachable API is a failure (exit 1) with a one-line reason', async t => {
	const {env} = await setup(t);
	const result = await runCli(['webhooks', 'list', '--json'], {...env, WEBEX_API_URL: 'http://127.0.0.1:9/v1'});
	t.is(result.code, 1);
	t.regex(result.stderr, /^globobot-admin: cannot reach Webex at http:\/\/127\.0\.0\.1:9\/v1 \(ECONNREFUSED\)/);
	t.false(/refused:/i.test(result.stderr), 'a connection that never opened is not something Webex refused');
	t.is(result.stderr.trim().split('\n').length, 1);
	t.is(result.stdout, '');
});

test('no token at all is a configuration error (exit 2)', async t => {
	const {env} = await setup(t);
	const {WEBEX_TOKEN: _unused, ...withoutToken} = env;
	const result = await runCli(['webhooks', 'list'], withoutToken);
	t.is(result.code, 2);
	t.regex(result.stderr, /WEBEX_TOKEN is not set/);
});

test('usage errors exit 2; --help and --version exit 0 and show no secrets', async t => {
	const {env} = await setup(t);
	t.is((await runCli(['webhooks', 'list', '--bogus'], env)).code, 2);
	t.is((await runCli(['webhooks', 'delete'], env)).code, 2);
	const help = await runCli(['webhooks', 'create', '--help'], env);
	t.is(help.code, 0);
	t.regex(help.stdout, /--filter <filter>/);
	t.false(help.stdout.includes(secret) || help.stdout.includes(env.WEBEX_TOKEN));
	const version = await runCli(['--version'], env);
	t.is(version.code, 0);
	t.regex(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('reactivate sets a webhook Webex auto-disabled back to active', async t => {
	// One failed delivery disables a webhook in this sandbox.
	const sandbox = await startSandbox({autoDisableThreshold: 1});
	t.teardown(() => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const alice = sandbox.createPerson({displayName: 'Alice', email: 'alice@globomantics.com'});
	const env = {WEBEX_API_URL: sandbox.url, WEBEX_TOKEN: bot.token, GLOBOBOT_HOME: tempHome(t), WEBHOOK_SECRET: secret};
	const {id} = await createWebhook(sandbox, bot.token, {name: 'flaky', targetUrl: 'http://127.0.0.1:9/closed', resource: 'messages', event: 'created'});
	await sandbox.sendMessage(alice.token, {toPersonId: bot.person.id, text: 'acct100'});
	await sandbox.idle();
	t.is(sandbox.webhooks()[0]?.status, 'inactive');

	const listed = await runCli(['webhooks', 'list'], env);
	t.regex(listed.stdout, /INACTIVE \(reactivate it with `webhooks reactivate ID`\)/);

	const result = await runCli(['webhooks', 'reactivate', id, '--json'], env);
	t.is(result.code, 0, result.stderr);
	t.like(JSON.parse(result.stdout), {id, status: 'active', name: 'flaky'});
	t.is(sandbox.webhooks()[0]?.status, 'active');
});

// An OSC 52 sequence writes the operator's clipboard; a carriage return overwrites the line; RLO reverses it.
const hostileName = 'x\u001B]52;c;cm0gLXJmIH4=\u0007\r\u202Eevil';

test('list shows what Webex sent as visible escapes, never raw controls; --json keeps JSON escaping', async t => {
	const {sandbox, bot, env} = await setup(t);
	await createWebhook(sandbox, bot.token, {name: hostileName, targetUrl: 'https://bot.example.com/wtwebhook', resource: 'messages', event: 'created', secret});
	const text = await runCli(['webhooks', 'list'], env);
	t.is(text.code, 0, text.stderr);
	t.false(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202E]/.test(text.stdout), JSON.stringify(text.stdout));
	t.true(text.stdout.includes('x\\x1b]52;c;cm0gLXJmIH4=\\x07\\x0d\\u202eevil'));
	const json = await runCli(['webhooks', 'list', '--json'], env);
	t.false(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/.test(json.stdout));
	t.is((JSON.parse(json.stdout) as Array<{name: string}>)[0]?.name, hostileName, 'the exact name, for scripts');
});

test('INACTIVE is red on a terminal only, and never with NO_COLOR', async t => {
	const sandbox = await startSandbox({autoDisableThreshold: 1});
	t.teardown(() => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const alice = sandbox.createPerson({displayName: 'Alice', email: 'alice@globomantics.com'});
	// One failed delivery (to a closed port) makes it inactive with this sandbox.
	await createWebhook(sandbox, bot.token, {name: 'broken', targetUrl: 'http://127.0.0.1:9/closed', resource: 'messages', event: 'created'});
	await sandbox.sendMessage(alice.token, {toPersonId: bot.person.id, text: 'acct100'});
	await sandbox.idle();
	t.is(sandbox.webhooks()[0]?.status, 'inactive');
	const env = {WEBEX_API_URL: sandbox.url, WEBEX_TOKEN: bot.token, GLOBOBOT_HOME: tempHome(t)};
	const red = '\u001B[31mINACTIVE\u001B[0m';
	const terminal = await runCliInTerminal(['webhooks', 'list'], env);
	t.is(terminal.code, 0, terminal.stdout);
	t.true(terminal.stdout.includes(red), JSON.stringify(terminal.stdout));
	const noColor = await runCliInTerminal(['webhooks', 'list'], {...env, NO_COLOR: '1'});
	t.regex(noColor.stdout, /INACTIVE/);
	t.false(noColor.stdout.includes('\u001B['));
	const piped = await runCli(['webhooks', 'list'], env);
	t.regex(piped.stdout, /INACTIVE/);
	t.false(piped.stdout.includes('\u001B['));
});

test('create --secret-file and --secret-stdin sign with that secret, which stays out of argv and output', async t => {
	const {sandbox, env} = await setup(t);
	const file = path.join(env.GLOBOBOT_HOME, 'secret.txt');
	writeFileSync(file, 'from-a-file-secret-1\n');
	const fromFile = await runCli(['webhooks', 'create', '--secret-file', file, '--json'], env);
	t.is(fromFile.code, 0, fromFile.stderr);
	const fromStdin = await runCli(['webhooks', 'create', '--secret-stdin', '--name', 'second', '--json'], env, {input: 'from-stdin-secret-2\n'});
	t.is(fromStdin.code, 0, fromStdin.stderr);
	t.deepEqual(sandbox.webhooks().map(webhook => webhook.secret), ['from-a-file-secret-1', 'from-stdin-secret-2']);
	for (const result of [fromFile, fromStdin]) t.false(/from-(a-file|stdin)-secret/.test(result.stdout + result.stderr));
	const both = await runCli(['webhooks', 'create', '--secret', 'abcdefgh-1', '--secret-file', file], env);
	t.is(both.code, 2);
	t.regex(both.stderr, /only one of --secret, --secret-file and --secret-stdin/);
	const missing = await runCli(['webhooks', 'update', 'x', '--secret-file', path.join(env.GLOBOBOT_HOME, 'absent')], env);
	t.is(missing.code, 2);
	t.regex(missing.stderr, /--secret-file .*absent cannot be read \(ENOENT\)/);
});

test('create --public-url targets that listener, over PUBLIC_URL', async t => {
	const {sandbox, env} = await setup(t);
	const result = await runCli(['webhooks', 'create', '--public-url', 'https://other.example.com/'], env);
	t.is(result.code, 0, result.stderr);
	t.is(sandbox.webhooks()[0]?.targetUrl, 'https://other.example.com/wtwebhook');
});
