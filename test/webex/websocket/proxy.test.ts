// HTTPS_PROXY: a tiny CONNECT proxy in the test; the catalog, the device
// service, the socket and the typed REST client all go through it.
import http from 'node:http';
import net, {type AddressInfo} from 'node:net';
import test from 'ava';
import {createWebexClient} from '../../../source/webex/client.js';
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

test('no HTTPS_PROXY, no agent', t => {
	t.is(proxyAgent(undefined), undefined);
	t.is(proxyAgent(''), undefined);
});
