// `globobot-admin sandbox`: a local Webex with the demo world, printing its URL
// and its people's tokens (throwaway tokens of a local sandbox: printing them
// is the point), until SIGINT or SIGTERM.
import {once} from 'node:events';
import {seedDemo, startSandbox} from '../sandbox/index.js';
import type {Sandbox} from '../sandbox/index.js';
import type {DemoWorld} from '../sandbox/demo.js';
import {CommandError} from './run.js';

export interface SandboxCommandOptions {
	port?: string | number;
	host?: string;
	latency?: string | number;
	json?: boolean;
	/** For tests: resolves to stop the sandbox instead of waiting for a signal. */
	until?: Promise<unknown>;
	write?: (text: string) => void;
}

export async function run(options: SandboxCommandOptions = {}): Promise<number> {
	const port = integerOption('port', options.port ?? 8900, 0, 65_535);
	const latencyMs = integerOption('latency', options.latency ?? 0, 0, 600_000);
	const write = options.write ?? ((text: string) => process.stdout.write(text));
	const sandbox = await startSandbox({port, host: options.host ?? '127.0.0.1', latencyMs});
	try {
		const world = seedDemo(sandbox);
		write(options.json ? `${JSON.stringify(summary(sandbox, world), null, 2)}\n` : describe(sandbox, world));
		await (options.until ?? untilSignal());
	} finally {
		await sandbox.close();
	}
	return 0;
}

function summary(sandbox: Sandbox, world: DemoWorld) {
	const person = ({person, token}: DemoWorld['bot']) => ({id: person.id, displayName: person.displayName, email: person.emails[0], type: person.type, token});
	return {
		url: sandbox.url,
		catalogUrl: sandbox.websocket.catalogUrl,
		people: [person(world.bot), person(world.alice), person(world.bob)],
		rooms: [world.opsRoom, world.aliceDirect, world.bobDirect].map(room => ({id: room.id, title: room.title, type: room.type})),
	};
}

function describe(sandbox: Sandbox, world: DemoWorld): string {
	const {url, catalogUrl, people, rooms} = summary(sandbox, world);
	return [
		`Webex sandbox listening on ${url}`,
		`Websocket delivery: GLOBOBOT_EVENTS=websocket WEBEX_CATALOG_URL=${catalogUrl}`,
		'',
		'People (use a token as WEBEX_TOKEN, and WEBEX_API_URL=' + url + '):',
		...people.map(person => `  ${person.displayName.padEnd(12)} ${String(person.email).padEnd(24)} ${person.type.padEnd(6)} ${person.token}`),
		'',
		'Rooms:',
		...rooms.map(room => `  ${room.title.padEnd(24)} ${room.type.padEnd(6)} ${room.id}`),
		'',
		'Press Ctrl+C to stop.',
		'',
	].join('\n');
}

function integerOption(name: string, value: string | number, min: number, max: number): number {
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isInteger(number) || number < min || number > max) throw new CommandError(`--${name} must be an integer from ${min} to ${max}`, 2);
	return number;
}

async function untilSignal(): Promise<void> {
	const stop = new AbortController();
	await Promise.race([once(process, 'SIGINT', {signal: stop.signal}), once(process, 'SIGTERM', {signal: stop.signal})]).finally(() => stop.abort());
}
