// The websocket client against the sandbox, over real sockets: discovery,
// device reuse, keep-alive, reconnects, stale devices, a refused token,
// device hygiene.
import {once} from 'node:events';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Duplex} from 'node:stream';
import test, {type ExecutionContext} from 'ava';
import {waitFor} from '../../helpers/poll.js';
import {reconnectDelayMs} from '../../../source/webex/websocket/backoff.js';
import {openConnection} from '../../../source/webex/websocket/connection.js';
import {createMercuryClient} from '../../../source/webex/websocket/index.js';
import {call} from '../../sandbox/helpers.js';
import {mercuryOn, startWorld} from './helpers.js';

test('discovers the device service, registers its device once, and receives activities', async t => {
	const world = await startWorld(t);
	const first = mercuryOn(t, world);
	await first.client.start();
	t.is(first.client.state(), 'connected');
	t.deepEqual(world.sandbox.websocket.devices().map(device => device.name), ['globobot-test']);
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'hello'});
	const [activity] = await waitFor('an activity', () => first.activities, list => list.length === 1);
	t.like(activity, {verb: 'post', direct: true});
	t.true(first.client.ack(activity!.frameId));
	await waitFor('the ack', () => world.sandbox.websocket.acks(), acks => acks.includes(activity!.frameId));
	await first.client.stop();
	// A restart reuses the device by its name: no new registration.
	const second = mercuryOn(t, world);
	await second.client.start();
	t.is(world.sandbox.websocket.devices().length, 1);
});

test('pings on its interval; a pong that does not come declares the socket dead and it reconnects', async t => {
	const world = await startWorld(t);
	const harness = mercuryOn(t, world, {pingIntervalMs: 40, pongTimeoutMs: 60});
	await harness.client.start();
	await waitFor('three pings', () => world.sandbox.websocket.pings().length, n => n >= 3);
	t.deepEqual(harness.events, ['connected'], 'answered pings keep it up');
	world.sandbox.faults.add({target: 'websocket', websocket: 'silent-pong', times: 1});
	await waitFor('a reconnect', () => harness.events, events => events.includes('reconnected'));
	t.true(harness.events.some(event => /no pong within 60 ms/.test(event)));
});

test('a dropped socket is reconnected with backoff', async t => {
	const world = await startWorld(t);
	const harness = mercuryOn(t, world);
	await harness.client.start();
	world.sandbox.websocket.dropSockets();
	await waitFor('a reconnect', () => harness.events, events => events.includes('reconnected'));
	t.is(world.sandbox.websocket.connections(), 1);
});

test('a stale device (404 on the upgrade) is registered again at once, without waiting out the backoff', async t => {
	const world = await startWorld(t);
	const waits: string[] = [];
	const harness = mercuryOn(t, world, {onReconnecting: info => waits.push(info.reason)});
	await harness.client.start();
	const before = world.sandbox.websocket.devices()[0]!.id;
	world.sandbox.websocket.expireDevices();
	await waitFor('a reconnect', () => harness.events, events => events.includes('reconnected'));
	// One wait, for the dropped socket; none between the 404 and the new registration.
	t.is(waits.length, 1);
	t.notRegex(waits[0]!, /404/);
	const [device] = world.sandbox.websocket.devices();
	t.not(device!.id, before);
	t.is(device!.name, 'globobot-test');
	t.true(device!.connected);
});

for (const code of [1008, 4401]) {
	test(`a socket closed with ${code} while the token is good is reconnected with backoff, and delivery resumes`, async t => {
		const world = await startWorld(t);
		const waits: string[] = [];
		const harness = mercuryOn(t, world, {onReconnecting: info => waits.push(info.reason)});
		await harness.client.start();
		world.sandbox.websocket.closeSockets(code);
		await waitFor('a reconnect', () => harness.events, events => events.includes('reconnected'));
		t.deepEqual(waits, [`closed (${code})`]);
		await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'still there?'});
		await waitFor('an activity after the reconnect', () => harness.activities, list => list.length === 1);
		t.is(harness.client.state(), 'connected');
	});
}

test('the device cap stops the client with its own reason and what to delete, not as a refused token', async t => {
	const world = await startWorld(t, {maxDevices: 1});
	const wdm = (await call(world.sandbox, world.bot.token, 'GET', world.sandbox.websocket.catalogUrl)).json.serviceLinks.wdm as string;
	await call(world.sandbox, world.bot.token, 'POST', `${wdm}/devices`, {name: 'left-over'});
	const harness = mercuryOn(t, world);
	const error = await t.throwsAsync(harness.client.start());
	t.regex(error!.message, /^Webex would not register websocket device "globobot-test" \(403 excessive device registrations at POST \/wdm\/api\/v1\/devices\): the token holds as many devices as Webex allows;/);
	t.true(error!.message.includes(`GET ${wdm}/devices lists them and DELETE on a device's url removes it`));
	t.notRegex(error!.message, /token is|refused the token/);
	t.not((error as {code?: string}).code, 'unauthorised');
	t.is(harness.client.state(), 'failed');
});

/**
 * A device service that lists two devices of our name that the socket no longer knows (the sandbox unlists an
 * expired device, a real one might not) and whose new registrations are stale too: every upgrade is a 404.
 */
async function staleDeviceService(t: ExecutionContext) {
	const upgrades: Array<{id: string; at: number}> = [];
	let registered = 0;
	const server = http.createServer((request, response) => {
		const origin = `http://${request.headers.host ?? ''}`;
		const device = (id: string) => ({url: `${origin}/wdm/devices/${id}`, webSocketUrl: `${origin.replace('http', 'ws')}/socket/${id}`, name: 'globobot-test'});
		request.resume();
		response.setHeader('content-type', 'application/json');
		if (request.url?.startsWith('/catalog')) return response.end(JSON.stringify({serviceLinks: {wdm: `${origin}/wdm`}}));
		if (request.method === 'GET') return response.end(JSON.stringify({devices: [device('a'), device('b')]}));
		response.end(JSON.stringify(device(`new${++registered}`)));
	});
	server.on('upgrade', (request: http.IncomingMessage, socket: Duplex) => {
		upgrades.push({id: request.url!.replace('/socket/', ''), at: Date.now()});
		socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	t.teardown(() => {
		server.closeAllConnections();
		server.close();
	});
	return {upgrades, catalogUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/catalog`};
}

test('stale devices are each tried once, and a new registration that is stale too waits out the backoff', async t => {
	const service = await staleDeviceService(t);
	const waits: string[] = [];
	const client = createMercuryClient({token: 't', catalogUrl: service.catalogUrl, deviceName: 'globobot-test', minBackoffMs: 100, maxBackoffMs: 400, onActivity: () => undefined, onReconnecting: info => waits.push(info.reason)});
	t.teardown(() => client.stop());
	// Not awaited first: a client that never waits would never report its first attempt done.
	const started = client.start();
	await waitFor('four upgrades', () => service.upgrades, list => list.length >= 4);
	await client.stop();
	await started;
	t.deepEqual(service.upgrades.slice(0, 4).map(upgrade => upgrade.id), ['a', 'b', 'new1', 'new2']);
	t.true(service.upgrades[3]!.at - service.upgrades[2]!.at >= 50, 'a wait between the stale registrations');
	t.regex(waits[0] ?? '', /404/);
});

test('a token Webex refuses stops the client with an unauthorised error', async t => {
	const world = await startWorld(t);
	const harness = mercuryOn(t, world, {token: 'not-a-real-token'});
	const error = await t.throwsAsync(harness.client.start());
	t.is((error as {code?: string}).code, 'unauthorised');
	t.regex(error!.message, /401/);
	t.false(error!.message.includes('not-a-real-token'));
	t.is(harness.client.state(), 'failed');
});

test('deletes its own device on a graceful stop when asked, and never another one', async t => {
	const world = await startWorld(t);
	const wdm = (await call(world.sandbox, world.bot.token, 'GET', world.sandbox.websocket.catalogUrl)).json.serviceLinks.wdm;
	await call(world.sandbox, world.bot.token, 'POST', `${wdm}/devices`, {name: 'another-process'});
	const keep = mercuryOn(t, world);
	await keep.client.start();
	await keep.client.stop();
	t.deepEqual(world.sandbox.websocket.devices().map(device => device.name).sort(), ['another-process', 'globobot-test'], 'kept by default');
	const tidy = mercuryOn(t, world, {deleteDeviceOnStop: true});
	await tidy.client.start();
	await tidy.client.stop();
	t.deepEqual(world.sandbox.websocket.devices().map(device => device.name), ['another-process']);
});

test('the reconnect delay doubles from 1 s to 32 s, jittered within the upper half', t => {
	const bounds = {minMs: 1000, maxMs: 32_000};
	const ceilings = [1, 2, 3, 4, 5, 6, 7, 12].map(attempt => reconnectDelayMs(attempt, {...bounds, random: () => 1}));
	t.deepEqual(ceilings, [1000, 2000, 4000, 8000, 16_000, 32_000, 32_000, 32_000]);
	t.is(reconnectDelayMs(3, {...bounds, random: () => 0}), 2000);
	for (let index = 0; index < 100; index++) {
		const delay = reconnectDelayMs(2, bounds);
		t.true(delay >= 1000 && delay <= 2000);
	}
});

test('the upgrade itself: 401 for a refused Authorization header, 404 for a stale registration, both as coded errors', async t => {
	const world = await startWorld(t);
	const harness = mercuryOn(t, world);
	await harness.client.start();
	const [device] = (await call(world.sandbox, world.bot.token, 'GET', `${new URL(world.sandbox.url).origin}/wdm/api/v1/devices`)).json.devices;
	const open = (token: string, url = device.webSocketUrl as string) => openConnection({url, token, pingIntervalMs: 1000, pongTimeoutMs: 1000, readyTimeoutMs: 3000, readyGraceMs: 1000, onFrame: () => undefined});
	const refused = await t.throwsAsync(open('wrong-token'));
	t.like(refused, {code: 'unauthorised', status: 401});
	t.false(refused!.message.includes('wrong-token'));
	const stale = await t.throwsAsync(open(world.bot.token, device.webSocketUrl.replace(/registrations\/[\w-]+/, 'registrations/gone')));
	t.like(stale, {code: 'not-found', status: 404});
});
