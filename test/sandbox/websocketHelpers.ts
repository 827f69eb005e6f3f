// A bare websocket client for the sandbox tests, written from the contract
// (shared/docs/webex-api.md §8.1), not from globobot's client, so the two
// cannot share a mistake.
import {once} from 'node:events';
import type {ExecutionContext} from 'ava';
import WebSocket from 'ws';
import {waitFor} from '../helpers/poll.js';
import {call, type World} from './helpers.js';

export interface Frame {
	id?: string;
	type?: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	data?: any;
}

export interface TestSocket {
	socket: WebSocket;
	frames: Frame[];
	send(frame: object): void;
	/** The first frame (received so far or later) matching `predicate`. */
	next(what: string, predicate: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
	activities(): Frame[];
}

export const catalogOf = (world: World) => world.sandbox.websocket.catalogUrl;

export async function registerDevice(world: World, token: string, name = 'test-device') {
	const catalog = await call(world.sandbox, token, 'GET', `${catalogOf(world)}?format=hostmap`);
	const wdm = catalog.json.serviceLinks.wdm as string;
	const created = await call(world.sandbox, token, 'POST', `${wdm}/devices`, {deviceName: name, deviceType: 'DESKTOP', localizedModel: 'test', model: 'test', name, systemName: 'test', systemVersion: '1'});
	return created.json as {url: string; webSocketUrl: string; name: string};
}

/** Opens `url` with the Authorization header; rejects with the HTTP status when the upgrade is refused. */
export async function connect(t: ExecutionContext, url: string, token: string, options: {header?: boolean; authorise?: boolean} = {}): Promise<TestSocket> {
	const socket = new WebSocket(url, options.header === false ? {} : {headers: {authorization: `Bearer ${token}`}});
	t.teardown(() => socket.terminate());
	const frames: Frame[] = [];
	socket.on('message', data => frames.push(JSON.parse(data.toString()) as Frame));
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('unexpected-response', (_request, response) => reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), {status: response.statusCode})));
		socket.once('error', reject);
	});
	const send = (frame: object) => socket.send(JSON.stringify(frame));
	if (options.authorise !== false) send({id: 'auth-1', type: 'authorization', data: {token: `Bearer ${token}`}});
	return {
		socket,
		frames,
		send,
		next: async (what, predicate, timeoutMs = 5000) => (await waitFor(what, () => frames.find(predicate), frame => frame !== undefined, timeoutMs))!,
		activities: () => frames.filter(frame => frame.data?.eventType === 'conversation.activity'),
	};
}

export async function closed(socket: WebSocket): Promise<number> {
	if (socket.readyState === WebSocket.CLOSED) return -1;
	const [code] = (await once(socket, 'close')) as [number];
	return code;
}
