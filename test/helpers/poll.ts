// Waiting helpers shared by the suites that run real processes and servers.
import {once} from 'node:events';
import net, {type AddressInfo} from 'node:net';
import {setTimeout as sleep} from 'node:timers/promises';

/** Polls until `predicate` holds; throws `timed out waiting for <what>` after `timeoutMs`. */
export async function waitFor<T>(what: string, read: () => T | Promise<T>, predicate: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (predicate(value)) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(25);
	}
}

/** A TCP port free right now on 127.0.0.1, for a child process that must be told its port. */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const {port} = server.address() as AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}
