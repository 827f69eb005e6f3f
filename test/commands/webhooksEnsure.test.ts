// `globobot-admin webhooks ensure` through the compiled CLI against the
// sandbox: the default webhook exists exactly once however often it runs,
// follows PUBLIC_URL, comes back after Webex auto-disabled it, and nothing
// that targets anything else is touched.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import test, {type ExecutionContext} from 'ava';
import {startSandbox} from '../../source/sandbox/index.js';
import {runCli, tempHome} from '../helpers/cli.js';

const secret = 'configured-secret-123';

async function setup(t: ExecutionContext, publicUrl = 'https://bot.example.com') {
	// One failed delivery disables a webhook, as 100 in 5 minutes do on Webex.
	const sandbox = await startSandbox({autoDisableThreshold: 1});
	t.teardown(() => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const alice = sandbox.createPerson({displayName: 'Alice', email: 'alice@globomantics.com'});
	const env = {WEBEX_API_URL: sandbox.url, WEBEX_TOKEN: bot.token, GLOBOBOT_HOME: tempHome(t), PUBLIC_URL: publicUrl, WEBHOOK_SECRET: secret};
	return {sandbox, bot, alice, env};
}

test('three runs give one webhook: created, then already as wanted', async t => {
	const {sandbox, env} = await setup(t);
	const first = await runCli(['webhooks', 'ensure'], env);
	t.is(first.code, 0, first.stderr);
	t.regex(first.stdout, /^created \S+ → https:\/\/bot\.example\.com\/wtwebhook$/m);
	for (let run = 0; run < 2; run++) {
		const again = await runCli(['webhooks', 'ensure', '--json'], env);
		t.is(again.code, 0, again.stderr);
		t.like(JSON.parse(again.stdout), {action: 'unchanged', deleted: []});
	}
	t.is(sandbox.webhooks().length, 1);
	t.like(sandbox.webhooks()[0], {name: 'globobot', targetUrl: 'https://bot.example.com/wtwebhook', resource: 'messages', event: 'created', secret, status: 'active'});
	t.is(sandbox.webhooks()[0]?.filter, undefined);
	t.false(first.stdout.includes(secret));
});

test('the mention filter an earlier version set is replaced: a direct message then reaches the listener, a group mention still does', async t => {
	// A target that answers 200, so no failed delivery disables anything.
	const target = http.createServer((request, response) => request.resume().on('end', () => response.end('{}')));
	await new Promise<void>(resolve => target.listen(0, '127.0.0.1', resolve));
	t.teardown(() => new Promise<void>(resolve => target.close(() => resolve())));
	const publicUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
	const {sandbox, bot, alice, env} = await setup(t, publicUrl);
	const webex = {authorization: `Bearer ${bot.token}`, 'content-type': 'application/json'};
	const made = await fetch(`${sandbox.url}/webhooks`, {
		method: 'POST',
		headers: webex,
		body: JSON.stringify({name: 'globobot', targetUrl: `${publicUrl}/wtwebhook`, resource: 'messages', event: 'created', filter: 'mentionedPeople=me', secret}),
	});
	const old = (await made.json()) as {id: string};
	const theirs = await runCli(['webhooks', 'create', '--name', 'theirs', '--url', `${publicUrl}/other`, '--filter', 'mentionedPeople=me'], env);
	t.is(theirs.code, 0, theirs.stderr);
	const result = await runCli(['webhooks', 'ensure', '--json'], env);
	t.is(result.code, 0, result.stderr);
	const ensured = JSON.parse(result.stdout) as {action: string; webhook: {id: string; filter: string | null}; outdated: string[]};
	t.like(ensured, {action: 'created', webhook: {filter: null}, outdated: [old.id]});
	const ours = sandbox.webhooks().filter(webhook => webhook.targetUrl === `${publicUrl}/wtwebhook`);
	t.deepEqual(ours.map(webhook => webhook.id), [ensured.webhook.id], 'the old one is gone, the new one in its place');
	t.is(sandbox.webhooks().find(webhook => webhook.name === 'theirs')?.filter, 'mentionedPeople=me', 'a webhook of another name is left alone');

	const room = sandbox.createRoom({title: 'Ops', memberIds: [alice.person.id, bot.person.id]});
	const direct = await sandbox.sendMessage(alice.token, {toPersonId: bot.person.id, text: 'acct100'});
	const mention = await sandbox.sendMessage(alice.token, {roomId: room.id, markdown: `<@personId:${bot.person.id}|globobot> acct100`});
	await sandbox.idle();
	const delivered = sandbox.deliveries().filter(record => record.webhookId === ensured.webhook.id).map(record => record.messageId);
	t.deepEqual(delivered.sort(), [direct.id, mention.id].sort());

	t.true(sandbox.deliveries().every(record => record.ok));
	const again = await runCli(['webhooks', 'ensure'], env);
	t.is(again.code, 0, again.stderr);
	t.notRegex(again.stdout, /outdated/, 'nothing is outdated the second time');
});

test('the line for people names the outdated webhook and what replaces it', async t => {
	const {sandbox, bot, env} = await setup(t);
	await fetch(`${sandbox.url}/webhooks`, {
		method: 'POST',
		headers: {authorization: `Bearer ${bot.token}`, 'content-type': 'application/json'},
		body: JSON.stringify({name: 'globobot', targetUrl: 'https://bot.example.com/wtwebhook', resource: 'messages', event: 'created', filter: 'mentionedPeople=me', secret}),
	});
	const result = await runCli(['webhooks', 'ensure'], env);
	t.is(result.code, 0, result.stderr);
	const fresh = sandbox.webhooks().find(webhook => webhook.filter === undefined);
	t.regex(result.stdout, new RegExp(`^deleted outdated \\S+ \\(its filter kept direct messages out; ${fresh?.id} replaces it\\)$`, 'm'));
	t.is(sandbox.webhooks().length, 1);
});

test('duplicates left by `webhooks create` twice are deleted; a foreign webhook is left alone', async t => {
	const {sandbox, env} = await setup(t);
	for (let run = 0; run < 2; run++) t.is((await runCli(['webhooks', 'create'], env)).code, 0);
	const foreign = await runCli(['webhooks', 'create', '--url', 'https://other.example.com/hook', '--name', 'theirs'], env);
	t.is(foreign.code, 0, foreign.stderr);
	t.is(sandbox.webhooks().length, 3);
	const result = await runCli(['webhooks', 'ensure'], env);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /^deleted duplicate \S+ \(it delivered every message a second time\)$/m);
	t.deepEqual(sandbox.webhooks().map(webhook => webhook.targetUrl).sort(), ['https://bot.example.com/wtwebhook', 'https://other.example.com/hook']);
});

test('an auto-disabled webhook is reactivated, a changed PUBLIC_URL is followed, a missing secret is added', async t => {
	const {sandbox, bot, alice, env} = await setup(t, 'http://127.0.0.1:9');
	t.is((await runCli(['webhooks', 'ensure'], env)).code, 0);
	// Nobody listens on port 9: the delivery fails and Webex disables the webhook.
	const room = sandbox.createRoom({title: 'Ops', memberIds: [alice.person.id, bot.person.id]});
	await sandbox.sendMessage(alice.token, {roomId: room.id, markdown: `<@personId:${bot.person.id}|globobot> acct100`});
	await sandbox.idle();
	t.is(sandbox.webhooks()[0]?.status, 'inactive');
	const reactivated = await runCli(['webhooks', 'ensure'], env);
	t.is(reactivated.code, 0, reactivated.stderr);
	t.regex(reactivated.stdout, /^reactivated \S+: reactivated$/m);
	t.regex(reactivated.stderr, /warning: Webex expects HTTPS/);
	t.is(sandbox.webhooks()[0]?.status, 'active');

	const moved = await runCli(['webhooks', 'ensure', '--json'], {...env, PUBLIC_URL: 'https://new.example.com', WEBHOOK_SECRET: 'a-rotated-secret-456'});
	t.is(moved.code, 0, moved.stderr);
	const result = JSON.parse(moved.stdout) as {action: string; changes: string[]};
	t.is(result.action, 'updated');
	t.deepEqual(result.changes, ['target http://127.0.0.1:9/wtwebhook → https://new.example.com/wtwebhook', 'secret replaced by the configured one']);
	t.is(sandbox.webhooks().length, 1);
	t.like(sandbox.webhooks()[0], {targetUrl: 'https://new.example.com/wtwebhook', secret: 'a-rotated-secret-456'});
});

test('a bad target URL is one line and exit code 2; a rejected token exit code 2', async t => {
	const {env} = await setup(t);
	const bad = await runCli(['webhooks', 'ensure', '--url', 'ftp://x'], env);
	t.is(bad.code, 2);
	t.regex(bad.stderr, /^globobot-admin: --url must be an absolute http\(s\) URL/);
	const token = await runCli(['webhooks', 'ensure'], {...env, WEBEX_TOKEN: 'nope'});
	t.is(token.code, 2);
	t.regex(token.stderr, /Webex rejected WEBEX_TOKEN/);
});
