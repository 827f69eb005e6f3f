// `globobot-admin sandbox`: a local Webex with the demo world, printing its URL
// and its people's tokens (throwaway tokens of a local sandbox: printing them
// is the point), until SIGINT or SIGTERM.
import {demoIdsOf, seedDemo, startSandbox} from '../sandbox/index.js';
import type {Sandbox} from '../sandbox/index.js';
import type {DemoWorld} from '../sandbox/demo.js';
import {processOutput, type Output} from './output.js';
import {CommandError} from './run.js';
import {readSandboxState, stateOf, writeSandboxState} from './sandboxStateFile.js';
import {untilSignal} from './untilSignal.js';

export interface SandboxCommandOptions {
	port?: string | number;
	host?: string;
	latency?: string | number;
	json?: boolean;
	/** Keep the people's ids and tokens in this file (owner-only), and reuse them when it exists. */
	state?: string;
	/** For tests: resolves to stop the sandbox instead of waiting for a signal. */
	until?: Promise<unknown>;
}

export async function run(options: SandboxCommandOptions = {}, output: Output = processOutput()): Promise<number> {
	const port = integerOption('port', options.port ?? 8900, 0, 65_535);
	const latencyMs = integerOption('latency', options.latency ?? 0, 0, 600_000);
	const saved = options.state ? readSandboxState(options.state) : undefined;
	const sandbox = await startSandbox({port, host: options.host ?? '127.0.0.1', latencyMs});
	try {
		const world = seedDemo(sandbox, saved?.demo);
		if (options.state) writeSandboxState(options.state, stateOf(sandbox.url, world, demoIdsOf(world)));
		if (options.json) output.json(summary(sandbox, world));
		else for (const line of describe(sandbox, world)) output.out(line);
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

function describe(sandbox: Sandbox, world: DemoWorld): string[] {
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
	];
}

function integerOption(name: string, value: string | number, min: number, max: number): number {
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isInteger(number) || number < min || number > max) throw new CommandError(`--${name} must be an integer from ${min} to ${max}`, 2);
	return number;
}
