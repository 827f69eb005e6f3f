// HTTPS_PROXY: a tiny CONNECT proxy in the test; the catalog, the device
// service, the socket, the typed REST client and the commands' client all go
// through it, except to the hosts NO_PROXY names.
import http from 'node:http';
import net, {type AddressInfo} from 'node:net';
import test from 'ava';
import {webexForCommand} from '../../../source/commands/webex.js';
import {loadConfig} from '../../../source/config.js';
import {createWebexClient} from '../../../source/webex/client.js';
import {bypassesProxy} from '../../../source/webex/noProxy.js';
import {proxyAgent} from '../../../source/webex/websocket/index.js';
import {waitFor} from '../../helpers/poll.js';
import {mercuryOn, startWorld} from './helpers.js';

async function startConnectProxy(t: Parameters<typeof startWorld>[0]) {
	const tunnels: string[] = [];
	const sockets = new Set<net.Socket>();
	const server = http.createServer((_request, response) => {
		// A CONNECT proxy only: plain proxied requests would bypass the tunnel under test.
		response.statusCode = 405;
		response.end();
	});
	server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
		tunnels.push(request.url ?? '');
		const [host, port] = (request.url ?? '').split(':');
		const upstream = net.connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('error', () => socket.destroy());
			socket.on('close', () => sockets.delete(socket));
		}
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.teardown(() => {
		for (const socket of sockets) socket.destroy();
		server.close();
	});
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tunnels};
}

test('the websocket client and the REST client tunnel through a CONNECT proxy', async t => {
	const world = await startWorld(t);
	const proxy = await startConnectProxy(t);
	const sandboxHost = new URL(world.sandbox.url).host;
	const harness = mercuryOn(t, world, {proxyUrl: proxy.url});
	await harness.client.start();
	t.is(harness.client.state(), 'connected');
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'through the proxy'});
	await waitFor('an activity', () => harness.activities, list => list.length === 1);

	const rest = createWebexClient({baseUrl: world.sandbox.url, token: world.bot.token, proxyUrl: proxy.url});
	t.is((await rest.people.me()).id, world.bot.person.id);
	t.true(proxy.tunnels.length >= 2);
	t.true(proxy.tunnels.every(target => target === sandboxHost), 'every connection went through the tunnel to the sandbox');
});

test('NO_PROXY naming the sandbox: the socket and every REST call go to it directly, the proxy sees no tunnel', async t => {
	const world = await startWorld(t);
	const proxy = await startConnectProxy(t);
	const harness = mercuryOn(t, world, {proxyUrl: proxy.url, noProxy: 'localhost, 127.0.0.1'});
	await harness.client.start();
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'around the proxy'});
	await waitFor('an activity', () => harness.activities, list => list.length === 1);
	const rest = createWebexClient({baseUrl: world.sandbox.url, token: world.bot.token, proxyUrl: proxy.url, noProxy: '127.0.0.1'});
	t.is((await rest.people.me()).id, world.bot.person.id);
	t.deepEqual(proxy.tunnels, []);
	// A NO_PROXY for other hosts leaves the sandbox behind the proxy.
	const elsewhere = createWebexClient({baseUrl: world.sandbox.url, token: world.bot.token, proxyUrl: proxy.url, noProxy: 'internal.globomantics.com'});
	t.is((await elsewhere.people.me()).id, world.bot.person.id);
	t.is(proxy.tunnels.length, 1);
});

test("the REST calls (undici's rules) and the socket's agent (noProxy.ts) agree on which NO_PROXY values reach the sandbox directly", async t => {
	const world = await startWorld(t);
	const proxy = await startConnectProxy(t);
	const {port} = new URL(world.sandbox.url);
	for (const noProxy of ['127.0.0.1', `127.0.0.1:${port}`, `127.0.0.1:${Number(port) + 1}`, 'localhost', '*', '.0.0.1', 'internal.example, 127.0.0.1', '27.0.0.1']) {
		const before = proxy.tunnels.length;
		const rest = createWebexClient({baseUrl: world.sandbox.url, token: world.bot.token, proxyUrl: proxy.url, noProxy});
		t.is((await rest.people.me()).id, world.bot.person.id);
		const restDirect = proxy.tunnels.length === before;
		t.is(bypassesProxy(world.sandbox.url.replace(/^http/, 'ws'), noProxy), restDirect, `NO_PROXY=${noProxy}: the REST call went ${restDirect ? 'direct' : 'through the proxy'}`);
	}
});

test("the commands' client (the TUI, `webhooks list`) takes HTTPS_PROXY and NO_PROXY from the environment too", async t => {
	const world = await startWorld(t);
	const proxy = await startConnectProxy(t);
	const env = {GLOBOBOT_HOME: '/tmp/globobot-unused', WEBEX_TOKEN: world.bot.token, WEBEX_API_URL: world.sandbox.url, HTTPS_PROXY: proxy.url};
	t.is((await webexForCommand(loadConfig({}, env)).people.me()).id, world.bot.person.id);
	t.is(proxy.tunnels.length, 1, 'through the proxy');
	t.is((await webexForCommand(loadConfig({}, {...env, no_proxy: '127.0.0.1'})).people.me()).id, world.bot.person.id);
	t.is(proxy.tunnels.length, 1, 'not through it');
});

test('no HTTPS_PROXY, no agent', t => {
	t.is(proxyAgent(undefined), undefined);
	t.is(proxyAgent(''), undefined);
});
