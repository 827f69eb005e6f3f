// Shared by the sandbox tests: a seeded sandbox per test, a tiny HTTP client
// that keeps raw answers, and a local webhook target that records raw bytes.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {ExecutionContext} from 'ava';
import {seedDemo, startSandbox, type DemoWorld} from '../../source/sandbox/index.js';
import type {Sandbox, SandboxOptions} from '../../source/sandbox/types.js';

export interface World extends DemoWorld {
	sandbox: Sandbox;
}

export async function startWorld(t: ExecutionContext, options: SandboxOptions = {}): Promise<World> {
	const sandbox = await startSandbox(options);
	t.teardown(() => sandbox.close());
	return {sandbox, ...seedDemo(sandbox)};
}

export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
}

/** Calls the sandbox as `token` (none when undefined); `path` is relative to /v1 or an absolute URL. */
export async function call(sandbox: Sandbox, token: string | undefined, method: string, path: string, body?: unknown): Promise<Answer> {
	const headers: Record<string, string> = {};
	if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	const url = path.startsWith('http') ? path : `${sandbox.url}${path}`;
	const response = await fetch(url, {method, headers, ...(body === undefined ? {} : {body: JSON.stringify(body)})});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return {status: response.status, headers: response.headers, text, json};
}

export interface Received {
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
}

/** A webhook target on 127.0.0.1 answering `status` and recording what it got. */
export async function startReceiver(t: ExecutionContext, status = 200): Promise<{url: string; received: Received[]; setStatus(code: number): void}> {
	const received: Received[] = [];
	let answer = status;
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			received.push({headers: request.headers, raw: Buffer.concat(chunks)});
			response.statusCode = answer;
			response.end();
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.teardown(
		() =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	);
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/wtwebhook`,
		received,
		setStatus(code) {
			answer = code;
		},
	};
}

/** The bot's usual webhook: messages created that mention it. */
export function botWebhook(targetUrl: string, extra: Record<string, string> = {}) {
	return {name: 'globobot', targetUrl, resource: 'messages', event: 'created', filter: 'mentionedPeople=me', ...extra};
}

export function mention(world: World, text: string): string {
	return `<@personId:${world.bot.person.id}|globobot> ${text}`;
}
