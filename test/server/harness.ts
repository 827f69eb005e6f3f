// A real world for listener tests: the Webex sandbox with the demo's people
// and rooms, a fresh database with the seed accounts, a signed webhook created
// through the sandbox's REST API pointing at the listener, and helpers to ask
// and to wait for the bot's answers.
import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import type {ExecutionContext} from 'ava';
import {loadConfig, type Config} from '../../source/config.js';
import {openDatabase} from '../../source/crm/database.js';
import {defaultWebhook} from '../../source/defaultWebhook.js';
import {seedDemo, startSandbox, type DemoWorld, type Sandbox, type SandboxMessage} from '../../source/sandbox/index.js';
import {createWebexClient} from '../../source/webex/client.js';
import type {Webhook} from '../../source/webex/types.js';
import {localUrlOf, targetUrlOf, type ListenerHandle} from '../../server/events.js';
import {startListener, type ListenerDeps} from '../../server/listener.js';
import {silentLogger} from '../../server/logger.js';
import type {Backend} from '../helpers/databases.js';
import {waitFor} from '../helpers/poll.js';

export {waitFor};

type Context = Pick<ExecutionContext, 'teardown'>;

export const secret = 'test-webhook-secret-1';

export interface World extends DemoWorld {
	sandbox: Sandbox;
	databaseUrl: string;
	home: string;
}

/** The demo's seed, in minor units: ACCT100 40.00 USD, ACCT200 -10.00 USD, ACCT300 0.00 USD. */
const seedAccounts = [
	{id: 'ACCT100', due: 10_000, paid: 6000, currency: 'USD'},
	{id: 'ACCT200', due: 6000, paid: 7000, currency: 'USD'},
	{id: 'ACCT300', due: 0, paid: 0, currency: 'USD'},
];

export async function startWorld(t: Context, backend: Backend): Promise<World> {
	const sandbox = await startSandbox();
	t.teardown(async () => sandbox.close());
	const demo = seedDemo(sandbox);
	const databaseUrl = await backend.url(t);
	const database = await openDatabase(databaseUrl);
	await database.accounts.upsertMany(seedAccounts);
	await database.close();
	const home = await mkdtemp(path.join(tmpdir(), 'globobot-listener-'));
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	return {...demo, sandbox, databaseUrl, home};
}

/** The environment a listener of this world runs with; `overrides` win. */
export function listenerEnv(world: World, overrides: Record<string, string> = {}): Record<string, string> {
	return {
		WEBEX_TOKEN: world.bot.token,
		WEBEX_API_URL: world.sandbox.url,
		WEBHOOK_SECRET: secret,
		DATABASE_URL: world.databaseUrl,
		GLOBOBOT_ALLOW: '@globomantics.com',
		GLOBOBOT_HOME: world.home,
		PORT: '0',
		HOST: '127.0.0.1',
		LOG_LEVEL: 'silent',
		...overrides,
	};
}

export function listenerConfig(world: World, overrides: Record<string, string> = {}): Config {
	return loadConfig({}, listenerEnv(world, overrides));
}

/** Starts a listener in this process, closed at teardown. */
export async function startTestListener(t: Context, world: World, overrides: Record<string, string> = {}, deps: ListenerDeps = {}): Promise<ListenerHandle> {
	const listener = await startListener(listenerConfig(world, overrides), {logger: silentLogger(), pollMs: 200, leaseMs: 5000, sendTimeoutMs: 3000, ...deps});
	t.teardown(async () => listener.close());
	return listener;
}

/** Where the listener answers locally (its HTTP server, from its webhook source). */
export function urlOf(listener: ListenerHandle): string {
	const url = localUrlOf(listener);
	if (!url) throw new Error('the listener has no local URL');
	return url;
}

/** The webhook target the listener asks to be registered. */
export function targetOf(listener: ListenerHandle): string {
	const url = targetUrlOf(listener);
	if (!url) throw new Error('the listener has no webhook target');
	return url;
}

/** A signed webhook owned by the bot, as `webhooks create` would make it: its default filter, if it has one, too. */
export async function registerWebhook(world: World, targetUrl: string): Promise<Webhook> {
	const webex = createWebexClient({baseUrl: world.sandbox.url, token: world.bot.token});
	const {filter, ...unfiltered} = defaultWebhook;
	return webex.webhooks.create({...unfiltered, ...(filter ? {filter} : {}), targetUrl, secret});
}

/** Posts as `who`; in a group room the bot is @mentioned first, as a user would type it. */
export async function ask(world: World, who: 'alice' | 'bob', roomId: string, question: string): Promise<SandboxMessage> {
	const room = world.sandbox.rooms().find(candidate => candidate.id === roomId);
	const markdown = room?.type === 'group' ? `<@personId:${world.bot.person.id}|globobot> ${question}` : question;
	return world.sandbox.sendMessage(world[who].token, {roomId, markdown});
}

export function botMessages(world: World): SandboxMessage[] {
	return world.sandbox.messages().filter(message => message.personId === world.bot.person.id);
}


/** Waits until the bot has written `count` messages, then a little longer to catch any extra one. */
export async function waitForBotMessages(world: World, count: number, settleMs = 400): Promise<SandboxMessage[]> {
	await world.sandbox.idle();
	await waitFor(`${count} bot message(s)`, () => botMessages(world), messages => messages.length >= count);
	await sleep(settleMs);
	await world.sandbox.idle();
	return botMessages(world);
}

/** Waits until the listener has nothing left to do: deliveries answered, inbox drained. */
export async function waitForQuiet(world: World, listener: ListenerHandle): Promise<void> {
	await world.sandbox.idle();
	await waitFor('an empty inbox', async () => inboxDepth(listener), depth => depth === 0);
}

async function inboxDepth(listener: ListenerHandle): Promise<number> {
	const metrics = await (await fetch(`${urlOf(listener)}/metrics`)).text();
	const line = metrics.split('\n').find(entry => entry.startsWith('globobot_inbox_depth '));
	return Number(line?.split(' ')[1] ?? Number.NaN);
}

export interface ChildListener {
	process: ChildProcess;
	url: string;
	targetUrl: string;
	kill(): Promise<void>;
}

const childScript = path.resolve('test/server/fixtures/listener-child.ts');

/** A listener in its own process, so it can be killed for real (SIGKILL: no cleanup at all). */
export async function startChildListener(t: Context, world: World, overrides: Record<string, string> = {}, leaseMs = 1500): Promise<ChildListener> {
	const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
		env: {PATH: process.env['PATH'] ?? '', ...listenerEnv(world, overrides), TEST_LEASE_MS: String(leaseMs)},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stderr!.on('data', chunk => {
		stderr += String(chunk);
	});
	const kill = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = once(child, 'exit');
		child.kill('SIGKILL');
		await exited;
	};
	t.teardown(kill);
	const ready = await new Promise<{url: string; targetUrl: string}>((resolve, reject) => {
		let stdout = '';
		child.stdout!.on('data', chunk => {
			stdout += String(chunk);
			const match = /READY (\S+) (\S+)/.exec(stdout);
			if (match) resolve({url: match[1]!, targetUrl: match[2]!});
		});
		child.once('exit', code => reject(new Error(`child listener exited (${code}): ${stderr.split('\n').slice(-5).join(' ')}`)));
	});
	return {process: child, ...ready, kill};
}
