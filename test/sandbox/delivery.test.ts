// Deliveries: the envelope of the seed capture, signed over the exact bytes,
// to the webhooks Webex would call and no others.
import {createHmac, timingSafeEqual} from 'node:crypto';
import {readFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import test from 'ava';
import {botWebhook, call, mention, startReceiver, startWorld} from './helpers.js';

const webhookBody = JSON.parse(readFileSync(new URL('../../fixtures/seed/webhook_body.json', import.meta.url), 'utf8'));
const keys = (value: object) => Object.keys(value).sort();

test('a delivery has the fields of webhook_body.json and no message text', async t => {
	const world = await startWorld(t);
	const target = await startReceiver(t);
	const webhook = await call(world.sandbox, world.bot.token, 'POST', '/webhooks', botWebhook(target.url));
	const message = await call(world.sandbox, world.alice.token, 'POST', '/messages', {roomId: world.opsRoom.id, markdown: mention(world, 'acct100')});
	await world.sandbox.idle();

	t.is(target.received.length, 1);
	const delivered = target.received[0]!;
	t.regex(String(delivered.headers['content-type']), /^application\/json/);
	const envelope = JSON.parse(delivered.raw.toString('utf8'));
	t.deepEqual(keys(envelope), keys(webhookBody));
	t.deepEqual(keys(envelope.data), keys(webhookBody.data));
	t.like(envelope, {id: webhook.json.id, resource: 'messages', event: 'created', status: 'active', actorId: world.alice.person.id, createdBy: world.bot.person.id});
	t.like(envelope.data, {id: message.json.id, roomId: world.opsRoom.id, roomType: 'group', personEmail: 'alice@globomantics.com'});
	t.false(delivered.raw.toString('utf8').includes('acct100'));
});

test('X-Spark-Signature verifies against the exact bytes the target read', async t => {
	const world = await startWorld(t);
	const target = await startReceiver(t);
	const secret = 'rotate-me-é';
	await call(world.sandbox, world.bot.token, 'POST', '/webhooks', botWebhook(target.url, {secret}));
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'what is the balance for "acct100"? ✓')});
	await world.sandbox.idle();

	const delivered = target.received[0]!;
	const signature = String(delivered.headers['x-spark-signature']);
	t.regex(signature, /^[0-9a-f]{40}$/);
	const expected = createHmac('sha1', secret).update(delivered.raw).digest();
	t.true(timingSafeEqual(Buffer.from(signature, 'hex'), expected));
	const [record] = world.sandbox.deliveries();
	t.is(record?.signature, signature);
	t.true(Buffer.from(record!.body).equals(delivered.raw));
	t.false('x-webex-signature' in delivered.headers);
});

test('extraSignatureHeader adds X-Webex-Signature with the same value; no secret means no signature', async t => {
	const world = await startWorld(t, {extraSignatureHeader: true});
	const signed = await startReceiver(t);
	const unsigned = await startReceiver(t);
	await call(world.sandbox, world.bot.token, 'POST', '/webhooks', botWebhook(signed.url, {secret: 's'}));
	await call(world.sandbox, world.bot.token, 'POST', '/webhooks', botWebhook(unsigned.url));
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'hi')});
	await world.sandbox.idle();
	t.is(signed.received[0]?.headers['x-webex-signature'], signed.received[0]?.headers['x-spark-signature']);
	t.false('x-spark-signature' in unsigned.received[0]!.headers);
});

test("a bot's webhook fires in a group room only when the bot is mentioned, and for the bot's own messages", async t => {
	const world = await startWorld(t);
	const target = await startReceiver(t);
	await call(world.sandbox, world.bot.token, 'POST', '/webhooks', {name: 'all', targetUrl: target.url, resource: 'messages', event: 'all'});
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, text: 'just chatting'});
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'acct100')});
	const reply = await world.sandbox.sendMessage(world.bot.token, {roomId: world.opsRoom.id, text: 'The balance is 40.00'});
	const direct = await world.sandbox.sendMessage(world.bob.token, {toPersonId: world.bot.person.id, text: 'acct200'});
	await world.sandbox.idle();

	const delivered = target.received.map(({raw}) => JSON.parse(raw.toString('utf8')));
	t.is(delivered.length, 3);
	t.true(delivered.some(envelope => envelope.data.id === reply.id && envelope.actorId === world.bot.person.id));
	t.true(delivered.some(envelope => envelope.data.id === direct.id && envelope.data.roomType === 'direct'));
	t.false(delivered.some(envelope => 'mentionedPeople' in envelope.data && envelope.data.roomType === 'direct'));
});

test('filters on roomType and personEmail pick the matching messages', async t => {
	const world = await startWorld(t);
	const directOnly = await startReceiver(t);
	const fromBob = await startReceiver(t);
	await call(world.sandbox, world.alice.token, 'POST', '/webhooks', {name: 'dm', targetUrl: directOnly.url, resource: 'messages', event: 'created', filter: 'roomType=direct'});
	await call(world.sandbox, world.alice.token, 'POST', '/webhooks', {name: 'bob', targetUrl: fromBob.url, resource: 'messages', event: 'created', filter: 'personEmail=BOB%40globomantics.com'});

	const bobInOps = await world.sandbox.sendMessage(world.bob.token, {roomId: world.opsRoom.id, text: 'morning'});
	const aliceToBot = await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'acct100'});
	await world.sandbox.sendMessage(world.bob.token, {roomId: world.bobDirect.id, text: 'not for Alice to see'});
	await world.sandbox.idle();

	const ids = (received: typeof directOnly.received) => received.map(({raw}) => JSON.parse(raw.toString('utf8')).data.id);
	t.deepEqual(ids(directOnly.received), [aliceToBot.id]);
	t.deepEqual(ids(fromBob.received), [bobInOps.id]);
});

test('hasFiles=true fires for a message with a file only, hasFiles=false for the others', async t => {
	const world = await startWorld(t);
	const withFiles = await startReceiver(t);
	const withoutFiles = await startReceiver(t);
	await call(world.sandbox, world.alice.token, 'POST', '/webhooks', {name: 'files', targetUrl: withFiles.url, resource: 'messages', event: 'created', filter: 'hasFiles=true'});
	await call(world.sandbox, world.alice.token, 'POST', '/webhooks', {name: 'plain', targetUrl: withoutFiles.url, resource: 'messages', event: 'created', filter: 'hasFiles=false'});
	const file = await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, text: 'report', files: ['https://files.globomantics.com/report.pdf']});
	const words = await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, text: 'just words'});
	await world.sandbox.idle();
	const ids = (received: typeof withFiles.received) => received.map(({raw}) => JSON.parse(raw.toString('utf8')).data.id);
	t.deepEqual(ids(withFiles.received), [file.id]);
	t.deepEqual(ids(withoutFiles.received), [words.id]);
});

test('mentionedPeople=me does not fire for an unmentioned direct message', async t => {
	const world = await startWorld(t);
	const target = await startReceiver(t);
	await call(world.sandbox, world.bot.token, 'POST', '/webhooks', botWebhook(target.url));
	await world.sandbox.sendMessage(world.alice.token, {toPersonEmail: 'globobot@webex.bot', text: 'acct100'});
	await world.sandbox.idle();
	t.is(target.received.length, 0);
});

test('an unreachable target is recorded as a failed delivery with status 0', async t => {
	const world = await startWorld(t, {deliveryTimeoutMs: 2000});
	await call(world.sandbox, world.bot.token, 'POST', '/webhooks', botWebhook('http://127.0.0.1:9/unreachable'));
	const seen: number[] = [];
	world.sandbox.onDelivery(record => seen.push(record.status));
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'acct100')});
	await world.sandbox.idle();
	t.deepEqual(seen, [0]);
	t.false(world.sandbox.deliveries()[0]?.ok);
});

test('a target slower than deliveryTimeoutMs is a failed delivery', async t => {
	const world = await startWorld(t, {deliveryTimeoutMs: 200});
	const server = http.createServer(() => {
		// Never answers.
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.teardown(() => {
		server.closeAllConnections();
		server.close();
	});
	const {port} = server.address() as AddressInfo;
	await call(world.sandbox, world.bot.token, 'POST', '/webhooks', botWebhook(`http://127.0.0.1:${port}/slow`));
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'acct100')});
	await world.sandbox.idle();
	t.like(world.sandbox.deliveries()[0], {status: 0, ok: false});
});
