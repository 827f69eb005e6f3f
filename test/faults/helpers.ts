// The fault suite's world: a sandbox (never auto-disabling the webhook: the
// crash test makes many deliveries fail on purpose), a bot, a person and a
// group room, a seeded database, and `globobot-admin serve` as a real process
// on a port chosen up front, so a restart after SIGKILL is the same target.
// Each question asks for its own account (ACCT1, ACCT2, …), so each reply can
// be traced to its question: in the group room by its thread (the listener runs
// with GLOBOBOT_GROUP_REPLY=room: one threaded reply per question), in the 1:1
// room by the account id it names.
import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {closeSync, openSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import type {ExecutionContext} from 'ava';
import {openDatabase} from '../../source/crm/database.js';
import {startSandbox, type DeliveryRecord, type Sandbox, type SandboxIdentity, type SandboxMessage, type SandboxOptions, type SandboxRoom} from '../../source/sandbox/index.js';
import {createWebexClient} from '../../source/webex/client.js';
import type {Webhook} from '../../source/webex/types.js';
import {freePort, waitFor} from '../helpers/poll.js';

export {freePort, waitFor};

type Context = Pick<ExecutionContext, 'teardown'>;

export const secret = 'faults-webhook-secret';

export interface FaultWorld {
	sandbox: Sandbox;
	bot: SandboxIdentity;
	alice: SandboxIdentity;
	/** A group room: alice, the bot. */
	room: SandboxRoom;
	/** alice's 1:1 room with the bot. */
	direct: SandboxRoom;
	databaseUrl: string;
	home: string;
}

/** Accounts ACCT1 … ACCT<this> exist in the CRM. */
export const accountCount = 2000;

/** A world on `databaseUrl` (default: a fresh SQLite file) with the accounts in its CRM. */
export async function startFaultWorld(t: Context, options: {databaseUrl?: string; sandbox?: SandboxOptions} = {}): Promise<FaultWorld> {
	const sandbox = await startSandbox({autoDisableThreshold: 1_000_000, deliveryTimeoutMs: 5000, ...options.sandbox});
	t.teardown(async () => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const alice = sandbox.createPerson({displayName: 'Alice Admin', email: 'alice@globomantics.com'});
	const room = sandbox.createRoom({title: 'Globomantics Ops', memberIds: [alice.person.id, bot.person.id]});
	const direct = sandbox.directRoom(alice.person.id, bot.person.id);
	const home = await mkdtemp(path.join(tmpdir(), 'globobot-faults-'));
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	const databaseUrl = options.databaseUrl ?? path.join(home, 'crm.db');
	const database = await openDatabase(databaseUrl);
	await database.accounts.upsertMany(Array.from({length: accountCount}, (_, index) => ({id: `ACCT${index + 1}`, due: 10_000, paid: index, currency: 'USD'})));
	await database.close();
	return {sandbox, bot, alice, room, direct, databaseUrl, home};
}


export interface ServeProcess {
	readonly child: ChildProcess;
	readonly port: number;
	/** http://127.0.0.1:<port> */
	readonly url: string;
	readonly webhookUrl: string;
	alive(): boolean;
	/** The last few KB of its stderr. */
	stderr(): string;
	/** SIGKILL: no cleanup of any kind. */
	kill(): Promise<void>;
}

/**
 * `node dist/cli.js serve` for this world on `port` (build first: `npm run
 * test:faults` does). FAULTS_SERVE_SCRIPT=<file.ts> runs that entry with tsx
 * instead, for trying the suite before the CLI builds. FAULTS_LOG_DIR=<folder>
 * keeps each process's JSON log there (serve-<port>-<pid>.log), at LOG_LEVEL info.
 */
export async function startServe(t: Context, world: FaultWorld, port: number, env: Record<string, string> = {}): Promise<ServeProcess> {
	const script = process.env['FAULTS_SERVE_SCRIPT'];
	const logFolder = process.env['FAULTS_LOG_DIR'];
	const stdout = logFolder ? openSync(path.join(logFolder, `serve-${port}-${Date.now()}.log`), 'a') : 'ignore';
	const args = script ? ['--import', 'tsx', path.resolve(script)] : [path.resolve('dist/cli.js'), 'serve'];
	const child = spawn(process.execPath, args, {
		env: {
			PATH: process.env['PATH'] ?? '',
			WEBEX_API_URL: world.sandbox.url,
			WEBEX_TOKEN: world.bot.token,
			WEBHOOK_SECRET: secret,
			DATABASE_URL: world.databaseUrl,
			GLOBOBOT_ALLOW: '@globomantics.com',
			GLOBOBOT_GROUP_REPLY: 'room',
			// One asker puts hundreds of questions here: these suites test durability, not the per-person limits.
			GLOBOBOT_LIMIT_LOOKUPS: '1000000/1m',
			GLOBOBOT_LIMIT_MISSES: '1000000/1m',
			GLOBOBOT_HOME: world.home,
			PORT: String(port),
			HOST: '127.0.0.1',
			LOG_LEVEL: logFolder ? 'info' : 'warn',
			...env,
		},
		stdio: ['ignore', stdout, 'pipe'],
	});
	// The child holds its own copy of the log file's descriptor.
	if (typeof stdout === 'number') closeSync(stdout);
	let stderr = '';
	child.stderr!.on('data', chunk => {
		stderr = (stderr + String(chunk)).slice(-8000);
	});
	const alive = () => child.exitCode === null && child.signalCode === null;
	const kill = async () => {
		if (!alive()) return;
		const exited = once(child, 'exit');
		child.kill('SIGKILL');
		await exited;
	};
	t.teardown(kill);
	const url = `http://127.0.0.1:${port}`;
	await waitFor(`serve on port ${port} to answer /healthz`, async () => !alive() || (await answers(`${url}/healthz`)), Boolean, 30_000);
	if (!alive()) throw new Error(`serve exited (${child.exitCode}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
	return {child, port, url, webhookUrl: `${url}/wtwebhook`, alive, stderr: () => stderr, kill};
}

async function answers(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, {signal: AbortSignal.timeout(1000)});
		await response.arrayBuffer();
		return response.ok;
	} catch {
		return false;
	}
}

/** A signed webhook for every message the bot can see (its own replies included: the listener must ignore those). */
export async function registerWebhook(world: FaultWorld, targetUrl: string): Promise<Webhook> {
	const webex = createWebexClient({baseUrl: world.sandbox.url, token: world.bot.token});
	return webex.webhooks.create({name: 'globobot', targetUrl, resource: 'messages', event: 'created', secret});
}

/**
 * `count` questions, `perSecond` of them a second, question i asking for
 * ACCT<i+1>; each fires the sandbox's deliveries. In the group room the bot is
 * @mentioned, as it must be for Webex to tell it.
 */
export async function askMany(world: FaultWorld, count: number, perSecond: number, where: 'group' | 'direct' = 'group'): Promise<SandboxMessage[]> {
	if (count > accountCount) throw new Error(`at most ${accountCount} questions`);
	const asked: SandboxMessage[] = [];
	const started = Date.now();
	for (let index = 0; index < count; index++) {
		const dueAt = started + (index * 1000) / perSecond;
		if (dueAt > Date.now()) await sleep(dueAt - Date.now());
		const question = `what is the balance for ACCT${index + 1}?`;
		const input = where === 'group' ? {roomId: world.room.id, markdown: `<@personId:${world.bot.person.id}|globobot> ${question}`} : {roomId: world.direct.id, text: question};
		asked.push(await world.sandbox.sendMessage(world.alice.token, input));
	}
	return asked;
}

const accountIdIn = (text: string | undefined) => /\bACCT\d+\b/i.exec(text ?? '')?.[0].toUpperCase();

/** The bot's replies, counted per question: by thread in the group room, by the account named in the 1:1 room. */
export function repliesPerQuestion(world: FaultWorld): Map<string, number> {
	const questionByAccount = new Map<string, string>();
	for (const message of world.sandbox.messages({roomId: world.direct.id})) {
		const accountId = message.personId === world.alice.person.id ? accountIdIn(message.text) : undefined;
		if (accountId) questionByAccount.set(accountId, message.id);
	}
	const counts = new Map<string, number>();
	for (const message of world.sandbox.messages({personId: world.bot.person.id})) {
		const question = message.parentId ?? (message.roomId === world.direct.id ? questionByAccount.get(accountIdIn(message.text) ?? '') : undefined);
		if (question !== undefined) counts.set(question, (counts.get(question) ?? 0) + 1);
	}
	return counts;
}

/** Questions whose delivery some target answered 2xx. */
export function acceptedQuestions(deliveries: readonly DeliveryRecord[]): Set<string> {
	return new Set(deliveries.filter(record => record.ok).map(record => record.messageId));
}

export interface Tally {
	asked: number;
	accepted: number;
	/** Accepted, and no reply. */
	lost: number;
	/** Questions with more than one reply. */
	duplicated: number;
	/** Replied although no 2xx reached the sandbox (recorded, then killed before answering): fine, and counted. */
	repliedUnacknowledged: number;
}

export function tally(world: FaultWorld, asked: readonly SandboxMessage[], accepted: ReadonlySet<string>): Tally {
	const replies = repliesPerQuestion(world);
	let lost = 0;
	let duplicated = 0;
	let repliedUnacknowledged = 0;
	for (const question of asked) {
		const count = replies.get(question.id) ?? 0;
		if (accepted.has(question.id) && count === 0) lost++;
		if (count > 1) duplicated++;
		if (!accepted.has(question.id) && count > 0) repliedUnacknowledged++;
	}
	return {asked: asked.length, accepted: asked.filter(question => accepted.has(question.id)).length, lost, duplicated, repliedUnacknowledged};
}

/** Waits until every accepted question among `asked` has a reply (or `timeoutMs`), then `settleMs` more so a late duplicate shows. */
export async function waitForReplies(world: FaultWorld, asked: readonly SandboxMessage[], timeoutMs: number, settleMs = 1500): Promise<void> {
	await world.sandbox.idle();
	await waitFor(
		'a reply to every accepted question',
		() => {
			const accepted = acceptedQuestions(world.sandbox.deliveries());
			const replies = repliesPerQuestion(world);
			return asked.every(question => !accepted.has(question.id) || replies.has(question.id));
		},
		Boolean,
		timeoutMs,
	).catch(() => undefined);
	await sleep(settleMs);
	await world.sandbox.idle();
}

/** Resident memory of a process now, in bytes (Linux). */
export async function residentBytes(pid: number): Promise<number> {
	const status = await readFile(`/proc/${pid}/status`, 'utf8');
	return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN) * 1024;
}


/** One line for the test's output and the console (counts only: no ids, no text). */
export function describeTally(name: string, counts: Tally, extra = ''): string {
	return `${name}: ${counts.asked} asked, ${counts.accepted} accepted (2xx), ${counts.lost} lost, ${counts.duplicated} duplicated, ${counts.repliedUnacknowledged} replied without a 2xx${extra}`;
}

/** The listener's own count of Webex answers that were not 2xx, by status (from /metrics). */
export async function webexErrorsByStatus(listenerUrl: string): Promise<Map<string, number>> {
	const metrics = await (await fetch(`${listenerUrl}/metrics`)).text();
	const counts = new Map<string, number>();
	for (const match of metrics.matchAll(/^globobot_webex_api_errors_total\{[^}]*status="(\d+)"[^}]*\} (\d+)/gm)) {
		counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + Number(match[2]));
	}
	return counts;
}
