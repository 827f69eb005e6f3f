import {existsSync} from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {startSandbox} from '../../source/sandbox/index.js';
import {loadConfig} from '../../source/config.js';
import {startListener} from '../../server/listener.js';
import {silentLogger} from '../../server/logger.js';
import {runCli, runCliInTerminal, tempHome} from '../helpers/cli.js';
import {freePort} from '../helpers/poll.js';

const secret = 'configured-secret-123';
const target = 'https://bot.example.com/wtwebhook';

async function setup(t: ExecutionContext) {
	// One failed delivery disables a webhook here, so a test can make one inactive quickly.
	const sandbox = await startSandbox({autoDisableThreshold: 1});
	t.teardown(() => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const alice = sandbox.createPerson({displayName: 'Alice', email: 'alice@globomantics.com'});
	const home = tempHome(t);
	const env = {
		WEBEX_API_URL: sandbox.url,
		WEBEX_TOKEN: bot.token,
		GLOBOBOT_HOME: home,
		PUBLIC_URL: 'https://bot.example.com',
		WEBHOOK_SECRET: secret,
		DATABASE_URL: path.join(home, 'crm.db'),
		GLOBOBOT_ALLOW: '@globomantics.com',
	};
	const imported = await runCli(['accounts', 'import', 'fixtures/seed/accounts.json'], env);
	t.is(imported.code, 0, imported.stderr);
	const create = (body: Record<string, string>) =>
		fetch(`${sandbox.url}/webhooks`, {method: 'POST', headers: {authorization: `Bearer ${bot.token}`, 'content-type': 'application/json'}, body: JSON.stringify({resource: 'messages', event: 'created', ...body})}).then(
			async response => (await response.json()) as {id: string},
		);
	return {sandbox, bot, alice, env, create};
}

test('a healthy setup passes every check (exit 0)', async t => {
	const {env: base, create} = await setup(t);
	// Healthy includes a listener answering where Webex is told to deliver.
	const port = await freePort();
	const env = {...base, PUBLIC_URL: `http://127.0.0.1:${port}`};
	const listener = await startListener(loadConfig({}, {...env, PORT: String(port), HOST: '127.0.0.1', GLOBOBOT_WEBHOOK_CHECK: '0'}), {logger: silentLogger()});
	t.teardown(() => listener.close());
	await create({name: 'globobot', targetUrl: `${env.PUBLIC_URL}/wtwebhook`, secret});
	const result = await runCli(['doctor'], env);
	t.is(result.code, 0, result.stdout + result.stderr);
	t.regex(result.stdout, /✔ API: /);
	t.regex(result.stdout, /✔ token: accepted: globobot <globobot@webex\.bot>/);
	t.regex(result.stdout, /✔ webhook globobot: \S+ active, signed with a configured secret/);
	t.regex(result.stdout, /✔ database: sqlite .*: 3 accounts/);
	t.regex(result.stdout, /✔ allow-list: 1 entry/);
	t.notRegex(result.stdout, /✘/);
});

test('an inactive webhook and one without a secret each get a ✘ with the fix (exit 1)', async t => {
	const {sandbox, bot, alice, env, create} = await setup(t);
	// Delivered to a closed port: the one failure the sandbox allows here makes it inactive.
	const broken = await create({name: 'broken', targetUrl: target, secret});
	await create({name: 'unsigned', targetUrl: target, filter: 'roomType=group'});
	await fetch(`${sandbox.url}/webhooks/${broken.id}`, {
		method: 'PUT',
		headers: {authorization: `Bearer ${bot.token}`, 'content-type': 'application/json'},
		body: JSON.stringify({name: 'broken', targetUrl: 'http://127.0.0.1:9/closed'}),
	});
	await sandbox.sendMessage(alice.token, {toPersonId: bot.person.id, text: 'acct100'});
	await sandbox.idle();
	await fetch(`${sandbox.url}/webhooks/${broken.id}`, {
		method: 'PUT',
		headers: {authorization: `Bearer ${bot.token}`, 'content-type': 'application/json'},
		body: JSON.stringify({name: 'broken', targetUrl: target}),
	});
	t.is(sandbox.webhooks().find(webhook => webhook.id === broken.id)?.status, 'inactive');

	const result = await runCli(['doctor', '--json'], env);
	t.is(result.code, 1);
	const checks = JSON.parse(result.stdout) as Array<{name: string; ok: boolean; detail: string; fix?: string}>;
	const byName = new Map(checks.map(check => [check.name, check]));
	t.like(byName.get('webhook broken'), {ok: false});
	t.regex(byName.get('webhook broken')?.detail ?? '', /inactive/);
	t.regex(byName.get('webhook broken')?.fix ?? '', new RegExp(`webhooks reactivate ${broken.id}`));
	t.like(byName.get('webhook unsigned'), {ok: false});
	t.regex(byName.get('webhook unsigned')?.detail ?? '', /has no secret/);
	t.false(result.stdout.includes(secret));
});

test('a webhook filtered to mentions gets a ✘: direct messages would never arrive; the fix names webhooks ensure', async t => {
	const {env, create} = await setup(t);
	await create({name: 'globobot', targetUrl: target, secret, filter: 'mentionedPeople=me'});
	const other = await create({name: 'ops', targetUrl: target, secret, filter: 'roomType=group'});
	const result = await runCli(['doctor', '--json'], env);
	t.is(result.code, 1);
	const checks = new Map((JSON.parse(result.stdout) as Array<{name: string; ok: boolean; detail: string; fix?: string}>).map(check => [check.name, check]));
	t.like(checks.get('webhook globobot'), {ok: false});
	t.regex(checks.get('webhook globobot')?.detail ?? '', /its filter mentionedPeople=me keeps direct messages out/);
	t.regex(checks.get('webhook globobot')?.fix ?? '', /globobot-admin webhooks ensure/);
	t.regex(checks.get('webhook ops')?.fix ?? '', new RegExp(`create one with no filter, then \`globobot-admin webhooks delete ${other.id}\``));
});

test('two active webhooks that would deliver the same message are flagged', async t => {
	const {env, create} = await setup(t);
	await create({name: 'one', targetUrl: target, secret, filter: 'mentionedPeople=me'});
	const two = await create({name: 'two', targetUrl: target, secret});
	const result = await runCli(['doctor'], env);
	t.is(result.code, 1);
	t.regex(result.stdout, new RegExp(`✘ duplicates: .* would both deliver the same message .* — delete one with \`globobot-admin webhooks delete ${two.id}\``));
});

test('no webhook for this listener, an empty allow-list and a rejected token are failures', async t => {
	const {env} = await setup(t);
	const {GLOBOBOT_ALLOW: _unused, ...withoutAllow} = env;
	const missing = await runCli(['doctor'], withoutAllow);
	t.is(missing.code, 1);
	t.regex(missing.stdout, /✘ webhooks: none of 0 targets https:\/\/bot\.example\.com\/wtwebhook — run `globobot-admin webhooks create`/);
	t.regex(missing.stdout, /✘ allow-list: GLOBOBOT_ALLOW is empty/);

	const rejected = await runCli(['doctor'], {...env, WEBEX_TOKEN: 'not-a-token'});
	t.is(rejected.code, 1);
	t.regex(rejected.stdout, /✘ token: Webex rejected WEBEX_TOKEN \(401/);
	t.false(rejected.stdout.includes('not-a-token'));
});

test('webhook names from Webex are shown as visible escapes, never obeyed', async t => {
	const {env, create} = await setup(t);
	await create({name: 'x\u001B]52;c;cm0gLXJmIH4=\u0007\r\u001B[2J', targetUrl: target, secret});
	const result = await runCli(['doctor'], env);
	t.false(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/.test(result.stdout), JSON.stringify(result.stdout));
	t.true(result.stdout.includes('✔ webhook x\\x1b]52;c;cm0gLXJmIH4=\\x07\\x0d\\x1b[2J: '));
});

test('✔ and ✘ are coloured on a terminal only, and never with NO_COLOR', async t => {
	const {env, create} = await setup(t);
	await create({name: 'globobot', targetUrl: target, secret});
	const {GLOBOBOT_ALLOW: _unused, ...failing} = env;
	const terminal = await runCliInTerminal(['doctor'], failing);
	t.is(terminal.code, 1, terminal.stdout);
	t.true(terminal.stdout.includes('\u001B[32m✔\u001B[0m API:'), JSON.stringify(terminal.stdout));
	t.true(terminal.stdout.includes('\u001B[31m✘\u001B[0m allow-list:'));
	const noColor = await runCliInTerminal(['doctor'], {...failing, NO_COLOR: '1'});
	t.regex(noColor.stdout, /✔ API:/);
	t.false(noColor.stdout.includes('\u001B['));
	const piped = await runCli(['doctor'], failing);
	t.regex(piped.stdout, /✘ allow-list:/);
	t.false(piped.stdout.includes('\u001B['));
});

test('doctor creates nothing: with no database it says so, and no home folder appears', async t => {
	const {env} = await setup(t);
	const home = path.join(env.GLOBOBOT_HOME, 'not-yet');
	const {DATABASE_URL: _unused, ...withoutDatabase} = env;
	const result = await runCli(['doctor'], {...withoutDatabase, GLOBOBOT_HOME: home});
	t.is(result.code, 1);
	t.regex(result.stdout, /✘ database: .*there is no database at .*not-yet\/crm\.db yet/);
	t.false(existsSync(home));
});
