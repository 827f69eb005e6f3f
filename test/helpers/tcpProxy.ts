// A TCP proxy between a client and a real server, for outages on demand:
// cut() drops every connection and refuses new ones, stall() keeps them open
// but forwards nothing (a CRM that hangs), restore() forwards again.
import {once} from 'node:events';
import net, {type AddressInfo} from 'node:net';

export interface TcpProxy {
	/** The proxy's port on 127.0.0.1. */
	readonly port: number;
	/** Connections accepted so far. */
	readonly accepted: number;
	cut(): void;
	stall(): void;
	restore(): void;
	close(): Promise<void>;
}

type State = 'open' | 'cut' | 'stalled';

export async function startTcpProxy(target: {host: string; port: number}): Promise<TcpProxy> {
	let state: State = 'open';
	let accepted = 0;
	const pairs = new Set<{client: net.Socket; upstream: net.Socket}>();
	const server = net.createServer(client => {
		accepted++;
		if (state === 'cut') {
			client.destroy();
			return;
		}
		const upstream = net.connect(target.port, target.host);
		const pair = {client, upstream};
		pairs.add(pair);
		const drop = () => {
			pairs.delete(pair);
			client.destroy();
			upstream.destroy();
		};
		client.on('error', drop).on('close', drop);
		upstream.on('error', drop).on('close', drop);
		// Forward by hand rather than pipe(), so a stall can hold bytes back.
		client.on('data', chunk => {
			if (state === 'open') upstream.write(chunk);
		});
		upstream.on('data', chunk => {
			if (state === 'open') client.write(chunk);
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const {port} = server.address() as AddressInfo;
	const dropAll = () => {
		for (const {client, upstream} of pairs) {
			client.destroy();
			upstream.destroy();
		}
		pairs.clear();
	};
	return {
		port,
		get accepted() {
			return accepted;
		},
		cut() {
			state = 'cut';
			dropAll();
		},
		stall() {
			state = 'stalled';
		},
		restore() {
			// Stalled connections have lost bytes in both directions; they are useless now.
			if (state === 'stalled') dropAll();
			state = 'open';
		},
		async close() {
			state = 'cut';
			dropAll();
			await new Promise(resolve => server.close(resolve));
		},
	};
}
