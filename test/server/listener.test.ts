// The listener end to end: real HTTP between the Webex sandbox and the
// listener, deliveries signed by the sandbox, answers read back from it.
import {execFileSync} from 'node:child_process';
import https from 'node:https';
import path from 'node:path';
import test from 'ava';
import {openDatabase} from '../../source/crm/database.js';
import {createInbox} from '../../server/store/inbox.js';
import {signatureOf} from '../../server/sources/webhook/verify.js';
import {refusalText, sentPrivatelyText} from '../../server/reply.js';
import type {SandboxMessage} from '../../source/sandbox/index.js';
import {backends} from '../helpers/databases.js';
import {ask, botMessages, registerWebhook, secret, startTestListener, startWorld, targetOf, urlOf, waitForBotMessages, waitForQuiet} from './harness.js';

for (const backend of backends) {
	test(`${backend.name}: the original demo's examples get the right balances, including the two that failed there`, async t => {
		const world = await startWorld(t, backend);
		const listener = await startTestListener(t, world, {GLOBOBOT_GROUP_REPLY: 'room'});
		await registerWebhook(world, targetOf(listener));
		const questions = {
			acct100: 'balance for ACCT100: 40.00 USD',
			'hi, what is the balance for acct200': 'balance for ACCT200: -10.00 USD',
			'I need the acct100 balance': 'balance for ACCT100: 40.00 USD',
			'hi, what is the balance for acct300?': 'balance for ACCT300: 0.00 USD',
		};
		const asked: SandboxMessage[] = [];
		for (const question of Object.keys(questions)) asked.push(await ask(world, 'alice', world.opsRoom.id, question));
		const replies = await waitForBotMessages(world, asked.length);
		t.is(replies.length, asked.length);
		for (const [index, expected] of Object.values(questions).entries()) {
			const reply = replies.find(message => message.parentId === asked[index]!.id);
			t.is(reply?.text, expected, `reply to "${Object.keys(questions)[index]}"`);
			t.is(reply?.roomId, world.opsRoom.id);
		}
		t.like(listener.counters(), {received: 4, replied: 4, rejected: 0});
	});

	test(`${backend.name}: the same delivery twice gets one reply`, async t => {
		const world = await startWorld(t, backend);
		const listener = await startTestListener(t, world);
		await registerWebhook(world, targetOf(listener));
		await ask(world, 'alice', world.aliceDirect.id, 'acct100');
		await waitForBotMessages(world, 1);
		const [delivery] = world.sandbox.deliveries();
		const replay = await fetch(delivery!.targetUrl, {method: 'POST', headers: {'content-type': 'application/json', 'x-spark-signature': delivery!.signature!}, body: delivery!.body});
		t.is(replay.status, 200);
		await waitForQuiet(world, listener);
		const replies = await waitForBotMessages(world, 1);
		t.is(replies.length, 1);
		t.like(listener.counters(), {received: 1, duplicate: 1, replied: 1});
	});
}

test('direct room: the answer goes to the room; no id: a help reply with an example', async t => {
	const world = await startWorld(t, backends[0]!);
	const listener = await startTestListener(t, world);
	await registerWebhook(world, targetOf(listener));
	await ask(world, 'alice', world.aliceDirect.id, 'what about acct100 and acct999?');
	await ask(world, 'alice', world.aliceDirect.id, 'hello');
	const replies = await waitForBotMessages(world, 2);
	t.deepEqual(
		replies.map(reply => [reply.roomId, reply.parentId, reply.text]),
		[
			[world.aliceDirect.id, undefined, 'balance for ACCT100: 40.00 USD\nno account ACCT999'],
			[world.aliceDirect.id, undefined, replies[1]!.text],
		],
	);
	// Nobody mentions the bot in a direct room, so its help does not ask to (issue 12, item 17).
	t.regex(replies[1]!.text ?? '', /for example: what is the balance for ACCT100\?/);
	t.notRegex(replies[1]!.text ?? '', /Mention me|@globobot/);
});

test('group room, by default: figures by direct message, a thread reply without figures in the room', async t => {
	const world = await startWorld(t, backends[0]!);
	const listener = await startTestListener(t, world);
	await registerWebhook(world, targetOf(listener));
	const question = await ask(world, 'alice', world.opsRoom.id, 'what is the balance for acct100?');
	const replies = await waitForBotMessages(world, 2);
	t.is(replies.length, 2);
	const inRoom = replies.filter(reply => reply.roomId === world.opsRoom.id);
	const privately = replies.filter(reply => reply.roomId === world.aliceDirect.id);
	t.is(inRoom.length, 1);
	t.is(inRoom[0]!.parentId, question.id);
	t.is(inRoom[0]!.text, sentPrivatelyText);
	t.notRegex(inRoom[0]!.text ?? '', /\d/);
	t.is(privately.length, 1);
	t.is(privately[0]!.text, 'balance for ACCT100: 40.00 USD');
});

test('an unauthorised requester gets a polite refusal without figures', async t => {
	const world = await startWorld(t, backends[0]!);
	const listener = await startTestListener(t, world, {GLOBOBOT_ALLOW: 'alice@globomantics.com'});
	await registerWebhook(world, targetOf(listener));
	const events: string[] = [];
	listener.onEvent(event => events.push(event.outcome));
	await ask(world, 'bob', world.opsRoom.id, 'balance for acct100 and acct999?');
	const replies = await waitForBotMessages(world, 1);
	t.is(replies.length, 1);
	t.is(replies[0]!.text, refusalText);
	t.is(replies[0]!.roomId, world.opsRoom.id);
	t.false(/ACCT|USD|\d/.test(replies[0]!.text ?? ''));
	t.true(events.includes('denied'));
});

test('the bot\'s own message gets no reply', async t => {
	const world = await startWorld(t, backends[0]!);
	const listener = await startTestListener(t, world);
	await registerWebhook(world, targetOf(listener));
	await world.sandbox.sendMessage(world.bot.token, {roomId: world.aliceDirect.id, text: 'balance for ACCT100: 40.00 USD'});
	await world.sandbox.idle();
	await waitForQuiet(world, listener);
	const [delivery] = world.sandbox.deliveries();
	t.is(delivery?.status, 200);
	t.is(botMessages(world).length, 1);
	t.like(listener.counters(), {ignored: 1, received: 0});
});

test('bad requests get the right 4xx and cause no reply', async t => {
	const world = await startWorld(t, backends[0]!);
	const listener = await startTestListener(t, world);
	const target = targetOf(listener);
	const envelope = (data: Record<string, unknown>) =>
		JSON.stringify({id: 'W1', name: 'globobot', resource: 'messages', event: 'created', actorId: world.alice.person.id, data});
	const valid = envelope({id: 'M-unknown', roomId: world.aliceDirect.id, personId: world.alice.person.id, personEmail: 'alice@globomantics.com'});
	const post = async (body: string | Buffer, signature?: string) =>
		fetch(target, {method: 'POST', headers: {'content-type': 'application/json', ...(signature && {'x-spark-signature': signature})}, body});

	t.is((await post(valid, signatureOf(valid, 'another-secret-123'))).status, 401, 'bad signature');
	t.is((await post(valid)).status, 401, 'missing signature');
	const oversized = Buffer.alloc(1024 * 1024 + 10, 'a');
	t.is((await post(oversized, signatureOf(oversized, secret))).status, 413, 'oversized body');
	const malformed = '{"id": "W1", "data": {';
	const malformedAnswer = await post(malformed, signatureOf(malformed, secret));
	t.is(malformedAnswer.status, 400, 'malformed JSON');
	t.deepEqual(await malformedAnswer.json(), {error: 'malformed JSON'});
	const missing = envelope({id: 'M2', personId: world.alice.person.id});
	const missingAnswer = await post(missing, signatureOf(missing, secret));
	t.is(missingAnswer.status, 400, 'missing roomId');
	t.deepEqual(await missingAnswer.json(), {error: 'missing data.roomId'});
	const other = JSON.stringify({id: 'W1', resource: 'memberships', event: 'created', data: {id: 'X'}});
	t.is((await post(other, signatureOf(other, secret))).status, 200, 'other events are acknowledged');

	t.like(listener.counters(), {rejected: 5, received: 0, ignored: 1});
	t.is(botMessages(world).length, 0);
});

test('Webex answers 429 (Retry-After: 1): exactly one reply, sent after the wait', async t => {
	const world = await startWorld(t, backends[0]!);
	const listener = await startTestListener(t, world);
	await registerWebhook(world, targetOf(listener));
	let limitedAt = 0;
	world.sandbox.faults.add({method: 'POST', path: '/messages', status: 429, retryAfter: 1, times: 1});
	const unsubscribe = listener.onEvent(event => {
		if (event.outcome === 'received') limitedAt = Date.now();
	});
	await ask(world, 'alice', world.aliceDirect.id, 'acct100');
	const replies = await waitForBotMessages(world, 1, 1500);
	unsubscribe();
	t.is(replies.length, 1);
	t.is(replies[0]!.text, 'balance for ACCT100: 40.00 USD');
	t.true(Date.parse(replies[0]!.created) - limitedAt >= 1000, 'the reply waited for Retry-After');
});

test('health answers reveal nothing; metrics count deliveries', async t => {
	const world = await startWorld(t, backends[0]!);
	const listener = await startTestListener(t, world);
	const health = await fetch(`${urlOf(listener)}/healthz`);
	t.is(health.status, 200);
	const ready = await fetch(`${urlOf(listener)}/readyz`);
	t.is(ready.status, 200);
	for (const body of [await health.text(), await ready.text()]) {
		t.false(body.includes('globobot'));
		t.false(body.includes(world.bot.person.id));
		t.false(body.includes(world.sandbox.url));
	}
	await registerWebhook(world, targetOf(listener));
	await ask(world, 'alice', world.aliceDirect.id, 'acct100');
	await waitForBotMessages(world, 1, 0);
	const metrics = await (await fetch(`${urlOf(listener)}/metrics`)).text();
	t.regex(metrics, /globobot_deliveries_total\{outcome="received"\} 1/);
	t.regex(metrics, /globobot_replies_total\{kind="balances"\} 1/);
	t.regex(metrics, /globobot_inbox_depth \d/);
	t.false(metrics.includes('40.00'));
});

test('with --tls-cert/--tls-key it serves HTTPS', async t => {
	const world = await startWorld(t, backends[0]!);
	const cert = path.join(world.home, 'cert.pem');
	const key = path.join(world.home, 'key.pem');
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], {stdio: 'ignore'});
	const listener = await startTestListener(t, world, {TLS_CERT: cert, TLS_KEY: key});
	t.regex(urlOf(listener), /^https:\/\/127\.0\.0\.1:\d+$/);
	const status = await new Promise<number | undefined>((resolve, reject) => {
		https.get(`${urlOf(listener)}/healthz`, {rejectUnauthorized: false}, response => {
			response.resume();
			resolve(response.statusCode);
		}).on('error', reject);
	});
	t.is(status, 200);
});

test('a message that no longer exists ends its event as failed, with the reason recorded', async t => {
	const world = await startWorld(t, backends[0]!);
	const listener = await startTestListener(t, world);
	const failed = new Promise<string | undefined>(resolve => {
		listener.onEvent(event => {
			if (event.outcome === 'failed') resolve(event.reason);
		});
	});
	const body = JSON.stringify({
		id: 'W1',
		name: 'globobot',
		resource: 'messages',
		event: 'created',
		data: {id: 'gone-message-id', roomId: world.aliceDirect.id, personId: world.alice.person.id, personEmail: 'alice@globomantics.com', roomType: 'direct'},
	});
	const answer = await fetch(targetOf(listener), {method: 'POST', headers: {'content-type': 'application/json', 'x-spark-signature': signatureOf(body, secret)}, body});
	t.is(answer.status, 200);
	t.is(await failed, 'message-not-found');
	const database = await openDatabase(world.databaseUrl);
	t.teardown(async () => database.close());
	t.like(await createInbox(database.store).get('gone-message-id'), {state: 'failed', outcome: 'message-not-found'});
	t.is(botMessages(world).length, 0);
});
