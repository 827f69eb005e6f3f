// The public port under abuse: idle and trickling connections are closed, the
// number of connections is capped, /metrics stays off a public bind.
import net from 'node:net';
import test from 'ava';
import {ConfigError, loadConfig} from '../../source/config.js';
import {sqliteBackend} from '../helpers/databases.js';
import {freePort, waitFor} from '../helpers/poll.js';
import {listenerEnv, startTestListener, startWorld, urlOf} from './harness.js';

/** Resolves with how long (ms) the server took to close a connection that does `behave`. */
async function closedAfter(port: number, behave: (socket: net.Socket) => void): Promise<number> {
	const started = Date.now();
	const socket = net.connect(port, '127.0.0.1');
	socket.on('error', () => undefined);
	await new Promise(resolve => socket.once('connect', resolve));
	behave(socket);
	await new Promise(resolve => socket.once('close', resolve));
	return Date.now() - started;
}

test('a connection that never sends a byte, and one that trickles its headers, are closed within 10 s', async t => {
	t.timeout(40_000);
	const world = await startWorld(t, sqliteBackend);
	const listener = await startTestListener(t, world);
	const port = Number(new URL(urlOf(listener)).port);
	const [silent, trickling] = await Promise.all([
		closedAfter(port, () => undefined),
		closedAfter(port, socket => {
			socket.write('POST /wtwebhook HTTP/1.1\r\nHost: x\r\n');
			const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 1000);
			socket.once('close', () => clearInterval(drip));
		}),
	]);
	t.true(silent <= 12_000, `silent connection closed after ${silent} ms`);
	t.true(trickling <= 12_000, `trickling connection closed after ${trickling} ms`);
	// An honest request still gets through afterwards.
	t.is((await fetch(`${urlOf(listener)}/healthz`)).status, 200);
});

test('past GLOBOBOT_MAX_CONNECTIONS, new connections are refused while honest ones already open keep working', async t => {
	t.timeout(40_000);
	const world = await startWorld(t, sqliteBackend);
	const listener = await startTestListener(t, world, {GLOBOBOT_MAX_CONNECTIONS: '16'});
	const port = Number(new URL(urlOf(listener)).port);
	const idle: net.Socket[] = [];
	t.teardown(() => idle.forEach(socket => socket.destroy()));
	for (let index = 0; index < 16; index++) {
		const socket = net.connect(port, '127.0.0.1');
		socket.on('error', () => undefined);
		idle.push(socket);
		await new Promise(resolve => socket.once('connect', resolve));
	}
	// The 17th is accepted by the kernel and closed by the server at once.
	const extra = await closedAfter(port, () => undefined);
	t.true(extra < 5000, `the connection over the cap closed after ${extra} ms`);
	idle.forEach(socket => socket.destroy());
	await waitFor('room again', async () => (await fetch(`${urlOf(listener)}/healthz`).catch(() => undefined))?.status, status => status === 200);
});

test('on a public HOST, /metrics moves to METRICS_ADDRESS on loopback; the public port does not serve it', async t => {
	const world = await startWorld(t, sqliteBackend);
	const metricsPort = await freePort();
	const listener = await startTestListener(t, world, {HOST: '0.0.0.0', METRICS_ADDRESS: `127.0.0.1:${metricsPort}`});
	t.is(listener.boundTo.replace(/:\d+/, ':P'), '0.0.0.0:P (every interface)');
	t.is((await fetch(`${urlOf(listener)}/metrics`)).status, 404);
	t.is(listener.metricsUrl, `http://127.0.0.1:${metricsPort}/metrics`);
	const metrics = await fetch(listener.metricsUrl);
	t.is(metrics.status, 200);
	t.regex(await metrics.text(), /globobot_inbox_depth/);
	t.is((await fetch(`${urlOf(listener)}/healthz`)).status, 200, 'health stays on the main port');
});

test('METRICS_TOKEN: /metrics wants the bearer token', async t => {
	const world = await startWorld(t, sqliteBackend);
	const token = 'metrics-token-0123456789';
	const listener = await startTestListener(t, world, {METRICS_TOKEN: token});
	t.is((await fetch(listener.metricsUrl)).status, 401);
	t.is((await fetch(listener.metricsUrl, {headers: {authorization: 'Bearer wrong-token-0123456789'}})).status, 401);
	t.is((await fetch(listener.metricsUrl, {headers: {authorization: `Bearer ${token}`}})).status, 200);
});

test('metrics settings are checked: same on a public host needs a token; a bad address is one line', t => {
	const world = {bot: {token: 'x'}, sandbox: {url: 'http://127.0.0.1:1'}, databaseUrl: ':memory:', home: '/tmp'} as never;
	const env = (overrides: Record<string, string>) => listenerEnv(world, overrides);
	t.deepEqual(loadConfig({}, env({HOST: '0.0.0.0'})).metricsAddress, {host: '127.0.0.1', port: 9464});
	t.is(loadConfig({}, env({})).metricsAddress, undefined, 'loopback HOST: same port');
	t.throws(() => loadConfig({}, env({HOST: '0.0.0.0', METRICS_ADDRESS: 'same'})), {instanceOf: ConfigError, message: /METRICS_TOKEN/});
	t.throws(() => loadConfig({}, env({METRICS_ADDRESS: 'nowhere'})), {instanceOf: ConfigError, message: /^METRICS_ADDRESS must be HOST:PORT/});
	t.throws(() => loadConfig({}, env({GLOBOBOT_MAX_CONNECTIONS: '3'})), {instanceOf: ConfigError, message: /GLOBOBOT_MAX_CONNECTIONS/});
});
