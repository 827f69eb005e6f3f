// The sandbox's websocket delivery (§8): catalog, device service, the socket
// with its authorisation, activity frames for what the bot would be told
// about, the conversation service lookup, acks, pings, and the faults.
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {waitFor} from '../helpers/poll.js';
import {call, mention, startWorld} from './helpers.js';
import {catalogOf, closed, connect, registerDevice} from './websocketHelpers.js';

test('the catalog names the device service on the sandbox itself, and needs a valid token', async t => {
	const world = await startWorld(t);
	const origin = new URL(world.sandbox.url).origin;
	const catalog = await call(world.sandbox, world.bot.token, 'GET', `${catalogOf(world)}?format=hostmap`);
	t.is(catalog.status, 200);
	t.is(catalog.json.serviceLinks.wdm, `${origin}/wdm/api/v1`);
	t.is((await call(world.sandbox, 'not-a-token', 'GET', catalogOf(world))).status, 401);
	t.is((await call(world.sandbox, undefined, 'GET', catalogOf(world))).status, 401);
});

test('devices: register, list your own only, read, delete; others\' are not found', async t => {
	const world = await startWorld(t);
	const device = await registerDevice(world, world.bot.token, 'globobot');
	t.regex(device.url, /\/wdm\/api\/v1\/devices\/[\w-]+$/);
	t.regex(device.webSocketUrl, /^ws:\/\/127\.0\.0\.1:\d+\/.*\/registrations\/[\w-]+\/messages$/);
	t.is(device.name, 'globobot');
	const wdm = device.url.replace(/\/devices\/.*$/, '');
	t.deepEqual((await call(world.sandbox, world.bot.token, 'GET', `${wdm}/devices`)).json.devices.map((d: {name: string}) => d.name), ['globobot']);
	t.deepEqual((await call(world.sandbox, world.alice.token, 'GET', `${wdm}/devices`)).json.devices, []);
	t.is((await call(world.sandbox, world.bot.token, 'GET', device.url)).json.webSocketUrl, device.webSocketUrl);
	t.is((await call(world.sandbox, world.alice.token, 'DELETE', device.url)).status, 404);
	t.is((await call(world.sandbox, world.bot.token, 'POST', `${wdm}/devices`, {deviceType: 'DESKTOP'})).status, 400);
	t.is((await call(world.sandbox, world.bot.token, 'DELETE', device.url)).status, 204);
	t.is((await call(world.sandbox, world.bot.token, 'GET', device.url)).status, 404);
});

test('the device cap refuses one registration too many with "excessive device registrations"', async t => {
	const world = await startWorld(t, {maxDevices: 3});
	for (let index = 0; index < 3; index++) await registerDevice(world, world.bot.token, `d${index}`);
	const wdm = (await call(world.sandbox, world.bot.token, 'GET', catalogOf(world))).json.serviceLinks.wdm;
	const refused = await call(world.sandbox, world.bot.token, 'POST', `${wdm}/devices`, {name: 'one-more'});
	t.is(refused.status, 403);
	t.regex(refused.json.message, /excessive device registrations/);
	t.is(world.sandbox.websocket.devices().length, 3);
	// Another person's allowance is their own.
	t.is((await call(world.sandbox, world.alice.token, 'POST', `${wdm}/devices`, {name: 'alice'})).status, 200);
});

test('upgrade: unknown registration 404, bad Authorization header 401, someone else\'s device 403', async t => {
	const world = await startWorld(t);
	const device = await registerDevice(world, world.bot.token);
	const unknown = device.webSocketUrl.replace(/registrations\/[\w-]+/, 'registrations/00000000-0000-0000-0000-000000000000');
	await t.throwsAsync(connect(t, unknown, world.bot.token), {message: /404/});
	await t.throwsAsync(connect(t, device.webSocketUrl, 'bad-token'), {message: /401/});
	await t.throwsAsync(connect(t, device.webSocketUrl, world.alice.token), {message: /403/});
});

test('authorise, get the buffer state, ping → pong with the same id', async t => {
	const world = await startWorld(t);
	const device = await registerDevice(world, world.bot.token);
	const client = await connect(t, device.webSocketUrl, world.bot.token);
	await client.next('buffer state', frame => frame.data?.eventType === 'mercury.buffer_state');
	t.is(world.sandbox.websocket.connections(), 1);
	client.send({id: 'ping-1', type: 'ping'});
	t.like(await client.next('pong', frame => frame.type === 'pong'), {id: 'ping-1', type: 'pong'});
});

test('a bad authorization frame closes the socket with 4401; no header is fine when the frame is good', async t => {
	const world = await startWorld(t);
	const device = await registerDevice(world, world.bot.token);
	const bad = await connect(t, device.webSocketUrl, world.bot.token, {authorise: false});
	bad.send({id: 'a', type: 'authorization', data: {token: 'Bearer nope'}});
	t.is(await closed(bad.socket), 4401);
	const headerless = await connect(t, device.webSocketUrl, world.bot.token, {header: false});
	await headerless.next('buffer state', frame => frame.data?.eventType === 'mercury.buffer_state');
});

test('closeSockets closes a good socket with the code asked for, and the device takes a new connection', async t => {
	const world = await startWorld(t);
	const device = await registerDevice(world, world.bot.token);
	const first = await connect(t, device.webSocketUrl, world.bot.token);
	await first.next('buffer state', frame => frame.data?.eventType === 'mercury.buffer_state');
	world.sandbox.websocket.closeSockets(1008);
	t.is(await closed(first.socket), 1008);
	const again = await connect(t, device.webSocketUrl, world.bot.token);
	await again.next('buffer state', frame => frame.data?.eventType === 'mercury.buffer_state');
	t.is(world.sandbox.websocket.connections(), 1);
});

test('activities: a mention in the group room and everything in a direct room, never an unmentioned group message', async t => {
	const world = await startWorld(t);
	const device = await registerDevice(world, world.bot.token);
	const client = await connect(t, device.webSocketUrl, world.bot.token);
	await client.next('buffer state', frame => frame.data?.eventType === 'mercury.buffer_state');
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, text: 'not for the bot'});
	const mentioned = await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'acct100?')});
	const direct = await world.sandbox.sendMessage(world.bob.token, {roomId: world.bobDirect.id, text: 'acct200'});
	await waitFor('two activities', () => client.activities().length, n => n >= 2);
	await sleep(100);
	const [group, one] = client.activities();
	t.is(client.activities().length, 2);
	t.like(group!.data.activity, {verb: 'post', actor: {emailAddress: 'alice@globomantics.com'}, object: {objectType: 'comment'}});
	t.deepEqual(group!.data.activity.target.tags, []);
	t.deepEqual(one!.data.activity.target.tags, ['ONE_ON_ONE']);
	t.false(JSON.stringify(group).includes('acct100'), 'no message text in the frame');
	// The conversation service turns the activity into the REST id.
	for (const [frame, message] of [[group!, mentioned], [one!, direct]] as const) {
		const url = (frame.data.activity.target.url as string).replace(/conversations\/[\w-]+$/, `messages/${frame.data.activity.id}`);
		t.is(new URL(url).origin, new URL(world.sandbox.url).origin);
		const lookup = await call(world.sandbox, world.bot.token, 'GET', url);
		t.is(lookup.status, 200);
		t.is(lookup.json.id, message.id);
	}
	// Someone who cannot see it gets a 404 from the lookup.
	const bobs = (one!.data.activity.target.url as string).replace(/conversations\/[\w-]+$/, `messages/${one!.data.activity.id}`);
	t.is((await call(world.sandbox, world.alice.token, 'GET', bobs)).status, 404);
});

test('a message with a file is a share activity, then an update for the same message once its scan is done', async t => {
	const world = await startWorld(t);
	const device = await registerDevice(world, world.bot.token);
	const client = await connect(t, device.webSocketUrl, world.bot.token);
	await client.next('buffer state', frame => frame.data?.eventType === 'mercury.buffer_state');
	const withFile = await world.sandbox.sendMessage(world.bob.token, {roomId: world.bobDirect.id, text: 'acct200, screenshot attached', files: ['https://files.globomantics.com/screen.png']});
	await waitFor('two activities', () => client.activities().length, n => n >= 2);
	await sleep(100);
	t.deepEqual(
		client.activities().map(frame => frame.data.activity.verb),
		['share', 'update'],
	);
	const ids = new Set(client.activities().map(frame => frame.data.activity.id));
	t.is(ids.size, 1, 'both name the one message');
	const url = (client.activities()[0]!.data.activity.target.url as string).replace(/conversations\/[\w-]+$/, `messages/${[...ids][0]}`);
	t.is((await call(world.sandbox, world.bot.token, 'GET', url)).json.id, withFile.id);
});

test('unacknowledged frames are redelivered with the same ids when the device connects again; acknowledged ones are not', async t => {
	const world = await startWorld(t);
	const device = await registerDevice(world, world.bot.token);
	const first = await connect(t, device.webSocketUrl, world.bot.token);
	await first.next('buffer state', frame => frame.data?.eventType === 'mercury.buffer_state');
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'one'});
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'two'});
	await waitFor('two activities', () => first.activities().length, n => n === 2);
	const [acked, unacked] = first.activities();
	first.send({type: 'ack', messageId: acked!.id});
	await waitFor('the ack', () => world.sandbox.websocket.acks(), acks => acks.includes(acked!.id!));
	first.socket.close();
	await closed(first.socket);
	// Sent while nobody was connected: buffered for the device.
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'three'});
	const second = await connect(t, device.webSocketUrl, world.bot.token);
	await waitFor('two activities again', () => second.activities().length, n => n === 2);
	t.is(second.activities()[0]!.id, unacked!.id);
	t.false(second.activities().some(frame => frame.id === acked!.id));
	t.true(world.sandbox.websocket.sent().some(sent => sent.frameId === unacked!.id && sent.redelivery));
});

test('faults: silent pongs, a dropped socket, a forgotten ack, an expired device', async t => {
	const world = await startWorld(t);
	const device = await registerDevice(world, world.bot.token);
	const client = await connect(t, device.webSocketUrl, world.bot.token);
	await client.next('buffer state', frame => frame.data?.eventType === 'mercury.buffer_state');

	world.sandbox.faults.add({target: 'websocket', websocket: 'silent-pong', times: 1});
	client.send({id: 'p1', type: 'ping'});
	client.send({id: 'p2', type: 'ping'});
	await client.next('second pong', frame => frame.id === 'p2');
	t.false(client.frames.some(frame => frame.id === 'p1'), 'the first ping went unanswered');

	world.sandbox.faults.add({target: 'websocket', websocket: 'ignore-ack', times: 1});
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'x'});
	const [frame] = [await client.next('activity', candidate => candidate.data?.eventType === 'conversation.activity')];
	client.send({type: 'ack', messageId: frame.id});
	await sleep(100);
	t.is(world.sandbox.websocket.devices()[0]!.unacknowledged, 1, 'the ack was forgotten');

	world.sandbox.faults.add({target: 'websocket', websocket: 'drop', times: 1});
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'y'});
	t.is(await closed(client.socket), 1006, 'closed without a close frame');
	t.is(world.sandbox.websocket.devices()[0]!.unacknowledged, 2, 'the dropped frame waits for the next connection');

	world.sandbox.websocket.expireDevices();
	await t.throwsAsync(connect(t, device.webSocketUrl, world.bot.token), {message: /404/});
	t.is((await call(world.sandbox, world.bot.token, 'GET', device.url)).status, 404);
});

test('REST faults apply to the device service like any other path', async t => {
	const world = await startWorld(t);
	world.sandbox.faults.add({path: '/wdm/api/v1/devices', method: 'GET', status: 503, times: 1});
	const wdm = (await call(world.sandbox, world.bot.token, 'GET', catalogOf(world))).json.serviceLinks.wdm;
	t.is((await call(world.sandbox, world.bot.token, 'GET', `${wdm}/devices`)).status, 503);
	t.is((await call(world.sandbox, world.bot.token, 'GET', `${wdm}/devices`)).status, 200);
});
