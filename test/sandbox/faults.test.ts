// Fault injection: 429 with Retry-After, 5xx, limited and probabilistic rules, dropped deliveries.
import test from 'ava';
import {botWebhook, call, mention, startReceiver, startWorld} from './helpers.js';

test('a 429 fault answers text/html with Retry-After, then the API answers normally', async t => {
	const world = await startWorld(t);
	world.sandbox.faults.add({path: '/people/me', status: 429, retryAfter: 1, times: 1});
	const limited = await call(world.sandbox, world.bob.token, 'GET', '/people/me');
	t.is(limited.status, 429);
	t.is(limited.headers.get('retry-after'), '1');
	t.regex(String(limited.headers.get('content-type')), /^text\/html/);
	t.truthy(limited.headers.get('trackingid'));
	t.is((await call(world.sandbox, world.bob.token, 'GET', '/people/me')).status, 200);
});

test('a malformed Retry-After is sent as given', async t => {
	const world = await startWorld(t);
	world.sandbox.faults.add({status: 429, retryAfter: 'soon'});
	t.is((await call(world.sandbox, world.bob.token, 'GET', '/people/me')).headers.get('retry-after'), 'soon');
});

test('5xx faults match method and path (string or RegExp) and answer in Webex error shape', async t => {
	const world = await startWorld(t);
	world.sandbox.faults.add({method: 'POST', path: /^\/messages/, status: 503, times: 2});
	const post = () => call(world.sandbox, world.alice.token, 'POST', '/messages', {roomId: world.opsRoom.id, text: 'hi'});
	t.is((await call(world.sandbox, world.alice.token, 'GET', `/messages?roomId=${world.opsRoom.id}`)).status, 200);
	const failed = await post();
	t.is(failed.status, 503);
	t.truthy(failed.json.trackingId);
	t.is((await post()).status, 503);
	t.is((await post()).status, 200);
	t.is(world.sandbox.messages().length, 1);
});

test('removing a rule, clear() and probability 0 stop faults', async t => {
	const world = await startWorld(t);
	const remove = world.sandbox.faults.add({status: 500});
	t.is((await call(world.sandbox, world.bob.token, 'GET', '/people/me')).status, 500);
	remove();
	t.is((await call(world.sandbox, world.bob.token, 'GET', '/people/me')).status, 200);
	world.sandbox.faults.add({status: 502});
	world.sandbox.faults.clear();
	world.sandbox.faults.add({status: 504, probability: 0});
	t.is((await call(world.sandbox, world.bob.token, 'GET', '/people/me')).status, 200);
});

test('a delay fault still serves the request', async t => {
	const world = await startWorld(t);
	world.sandbox.faults.add({path: '/people/me', delayMs: 20, times: 1});
	world.sandbox.setLatency(5);
	t.is((await call(world.sandbox, world.bob.token, 'GET', '/people/me')).status, 200);
});

test('a dropped delivery is never sent and is recorded as failed', async t => {
	const world = await startWorld(t);
	const target = await startReceiver(t);
	await call(world.sandbox, world.bot.token, 'POST', '/webhooks', botWebhook(target.url));
	world.sandbox.faults.add({target: 'delivery', drop: true, times: 1});
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'one')});
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'two')});
	await world.sandbox.idle();
	t.is(target.received.length, 1);
	t.deepEqual(
		world.sandbox.deliveries().map(record => [record.status, record.ok]),
		[
			[0, false],
			[200, true],
		],
	);
});

test('setLatency holds every answer back until it is lifted', async t => {
	const world = await startWorld(t);
	world.sandbox.setLatency(3000);
	const tooSlow = fetch(`${world.sandbox.url}/people/me`, {headers: {authorization: `Bearer ${world.bob.token}`}, signal: AbortSignal.timeout(100)});
	const failure = await tooSlow.then(
		() => undefined,
		(error: unknown) => error,
	);
	t.is((failure as DOMException | undefined)?.name, 'TimeoutError');
	world.sandbox.setLatency(0);
	t.is((await call(world.sandbox, world.bob.token, 'GET', '/people/me')).status, 200);
});
