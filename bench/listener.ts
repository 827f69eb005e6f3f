// The listener under load, against two baselines, in one run (issue 17).
//
// For each rate (100, 500, 1,000 deliveries/s) and each round, a fresh
// sandbox adds 50 ms to every Webex call and holds the questions, created
// beforehand (no webhook is registered: we send the signed envelopes
// ourselves, open-loop, see load.ts). Then, one after another, each target
// runs in its own process on the same questions, so the rounds alternate
// (globobot, bare, naive, globobot, bare, naive …):
//   globobot   `node dist/cli.js serve` on a fresh SQLite database
//   unaudited  the same listener without the audit trail's hooks: globobot − unaudited is the audit's cost
//   bare       a bare node:http handler (answers, then the two calls): the floor
//   naive      the original demo's handler (answers after both Webex calls)
// Three processes besides the target: this one (the sandbox, which also
// times the replies), the load generator (loadProcess.ts, its own process so
// it does not share an event loop with the fake Webex), and the target.
// Each figure is the median over the rounds.
//
// CPU per reply is the target's own process.cpuUsage() (user + system) over
// the measured window, which it reports when signalled (cpuReport.ts), divided
// by the replies in that window. Backlog is deliveries answered 2xx minus
// replies seen, halfway through the sending and as it ends: a backlog that
// grows between the two means the target does not keep up.
//
// Environment: BENCH_SECONDS (20), BENCH_RATES (100,500,1000), BENCH_REPEATS (3),
// BENCH_LATENCY_MS (50), BENCH_DRAIN_SECONDS (5: how long replies may trail the
// last delivery), BENCH_WARMUP_SECONDS (1, at the same rate, not measured), BENCH_TARGETS (globobot,unaudited,bare,naive), BENCH_LOG_LEVEL (info),
// BENCH_CONCURRENCY (passed as GLOBOBOT_CONCURRENCY when set),
// BENCH_CPU_PROF (a folder: globobot runs unminified with --cpu-prof, stops gracefully, and its top frames are printed),
// BENCH_SERVE_SCRIPT (a .ts entry run with tsx instead of `dist/cli.js serve`),
// BENCH_NODE_ARGS (node flags for globobot only, e.g. --max-semi-space-size=2, to try a heap setting),
// BENCH_ENV (environment for globobot only, space-separated NAME=value, e.g. MALLOC_ARENA_MAX=2).
import {spawn, type ChildProcess} from 'node:child_process';
import {createHmac} from 'node:crypto';
import {once} from 'node:events';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises';
import {cpus, loadavg, tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {cliBundle} from '../scripts/cliBundle.mjs';
import {openDatabase} from '../source/crm/database.js';
import {startSandbox, type Sandbox, type SandboxIdentity, type SandboxMessage} from '../source/sandbox/index.js';
import type {BenchReport, BenchRow} from './index.js';
import {freePort, median, peakRssBytes, percentile, waitUntilAnswering} from './load.js';
import type {LoadJob, LoadProcessResult} from './loadProcess.js';
import {formatFrames, summariseProfile} from './profileSummary.js';

export const description = 'Listener: signed deliveries at fixed rates, 50 ms per Webex call; globobot vs a bare node:http handler vs the naive demo handler';

const environment = process.env;
const seconds = Number(environment['BENCH_SECONDS'] ?? 20);
const rates = (environment['BENCH_RATES'] ?? '100,500,1000').split(',').map(Number);
const repeats = Number(environment['BENCH_REPEATS'] ?? 3);
const webexLatencyMs = Number(environment['BENCH_LATENCY_MS'] ?? 50);
const drainMs = Number(environment['BENCH_DRAIN_SECONDS'] ?? 5) * 1000;
const warmupSeconds = Number(environment['BENCH_WARMUP_SECONDS'] ?? 1);
const targetNames = (environment['BENCH_TARGETS'] ?? 'globobot,unaudited,bare,naive').split(',') as TargetName[];
const profileFolder = environment['BENCH_CPU_PROF'] ? path.resolve(environment['BENCH_CPU_PROF']) : undefined;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const secret = 'bench-webhook-secret';
const question = 'what is the balance for ACCT100';

type TargetName = 'globobot' | 'unaudited' | 'naive' | 'bare';

const epochNow = () => performance.timeOrigin + performance.now();

/** The sandbox of one (rate, round): the bot, the tellers asking, one room, and the questions with their signed envelopes. */
interface World {
	/** Questions [0, measured) are measured; the rest warm the target up first. */
	measured: number;
	sandbox: Sandbox;
	bot: SandboxIdentity;
	questions: SandboxMessage[];
	indexById: Map<string, number>;
	/** The load generator's jobs, written once per world: the measured questions, and the warm-up ones. */
	jobs: {measured: string; warmup?: string};
	folder: string;
}

/** A target process, listening. */
interface Running {
	pid: number;
	webhookUrl: string;
	/** Its own CPU time so far (user + system, µs), as it reports it. */
	cpuUsage(): Promise<number | undefined>;
	stop(): Promise<void>;
}

/** One target's figures for one run; latencies in ms, undefined when not measurable. */
interface RunFigures {
	answerP50?: number;
	answerP99?: number;
	answerMax?: number;
	answersPerSecond: number;
	repliesPerSecond: number;
	replyP50?: number;
	replyP99?: number;
	accepted: number;
	unreplied: number;
	duplicates: number;
	backlogMiddle: number;
	backlogEnd: number;
	peakRssMb?: number;
	cpuPerReplyUs?: number;
}

/** Questions per asker: below the default lookup limit (30 per 10 minutes), so the throttle runs as in production and refuses nothing. */
const questionsPerAsker = 20;

async function createWorld(measured: number, warmup: number, rate: number): Promise<World> {
	const count = measured + warmup;
	const sandbox = await startSandbox({latencyMs: webexLatencyMs, deliveryTimeoutMs: 1000});
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	// A floor of staff, each asking a few questions, as a bank's would: one asker
	// sending thousands would be throttled (or, with the limits lifted, would make
	// every throttle check read thousands of rows no real person has).
	const askers = Array.from({length: Math.ceil(count / questionsPerAsker)}, (_, index) => sandbox.createPerson({displayName: `Teller ${index}`, email: `teller${index}@globomantics.com`}));
	const room = sandbox.createRoom({title: 'Bench', memberIds: [...askers.map(asker => asker.person.id), bot.person.id]});
	const questions: SandboxMessage[] = [];
	for (let index = 0; index < count; index++) {
		questions.push(await sandbox.sendMessage(askers[index % askers.length]!.token, {roomId: room.id, markdown: `<@personId:${bot.person.id}|globobot> ${question}`}));
	}
	const bodies = questions.map(message => JSON.stringify(envelopeFor(message, bot.person.id)));
	const signatures = bodies.map(body => createHmac('sha1', secret).update(body).digest('hex'));
	const folder = await mkdtemp(path.join(tmpdir(), 'globobot-bench-world-'));
	const writeJob = async (name: string, first: number, end: number) => {
		const job: LoadJob = {rate, seconds: (end - first) / rate, bodies: bodies.slice(first, end), signatures: signatures.slice(first, end)};
		const file = path.join(folder, `${name}.json`);
		await writeFile(file, JSON.stringify(job));
		return file;
	};
	return {
		measured,
		sandbox,
		bot,
		questions,
		indexById: new Map(questions.map((message, index) => [message.id, index])),
		jobs: {measured: await writeJob('measured', 0, measured), ...(warmup > 0 && {warmup: await writeJob('warmup', measured, count)})},
		folder,
	};
}

/** A delivery as Webex sends it (fixtures/seed/webhook_body.json). */
function envelopeFor(message: SandboxMessage, botId: string) {
	return {
		id: 'Y2lzY29zcGFyazovL3VzL1dFQkhPT0svYmVuY2g',
		name: 'globobot',
		targetUrl: 'http://127.0.0.1/wtwebhook',
		resource: 'messages',
		event: 'created',
		filter: `mentionedPeople=${botId}`,
		orgId: 'Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9iZW5jaA',
		createdBy: botId,
		appId: 'Y2lzY29zcGFyazovL3VzL0FQUExJQ0FUSU9OL2JlbmNo',
		ownedBy: 'creator',
		status: 'active',
		created: '2026-01-01T00:00:00.000Z',
		actorId: message.personId,
		data: {
			id: message.id,
			roomId: message.roomId,
			roomType: message.roomType,
			personId: message.personId,
			personEmail: message.personEmail,
			mentionedPeople: message.mentionedPeople,
			created: message.created,
		},
	};
}

// ---------------------------------------------------------------------------
// Compiled helpers: the baselines, the load generator and the CPU reporter
// bundled once into plain JS, so they start and run as the compiled CLI does
// (no tsx in those processes).

let compiled: Promise<string> | undefined;

async function compiledFolder(): Promise<string> {
	compiled ??= (async () => {
		const folder = await mkdtemp(path.join(tmpdir(), 'globobot-bench-bin-'));
		await build({
			entryPoints: Object.fromEntries(['baselines/naive', 'baselines/bare', 'loadProcess', 'cpuReport'].map(name => [path.basename(name), path.join(root, 'bench', `${name}.ts`)])),
			outdir: folder,
			outExtension: {'.js': '.mjs'},
			bundle: true,
			format: 'esm',
			platform: 'node',
			target: 'node20',
			logLevel: 'warning',
		});
		return folder;
	})();
	return compiled;
}


let unaudited: Promise<string> | undefined;

/** baselines/unaudited.ts bundled as scripts/build.mjs bundles the CLI, into dist/bench/ so that its dependencies resolve from node_modules. */
async function unauditedListener(): Promise<string> {
	unaudited ??= (async () => {
		const outdir = path.join(root, 'dist/bench');
		await build({
			...cliBundle,
			entryPoints: {unaudited: path.join(root, 'bench/baselines/unaudited.ts')},
			outdir,
			outExtension: {'.js': '.mjs'},
			minify: true,
		});
		return path.join(outdir, 'unaudited.mjs');
	})();
	return unaudited;
}

let unminified: Promise<string> | undefined;

/** For profiling: the CLI bundled as scripts/build.mjs does, but not minified, so the profile's frames have names. */
async function unminifiedCli(): Promise<string> {
	unminified ??= (async () => {
		const outdir = path.join(root, 'dist/unminified');
		await build({
			...cliBundle,
			entryPoints: [path.join(root, 'cli.tsx')],
			outdir,
			splitting: true,
			chunkNames: 'chunks/[name]-[hash]',
		});
		return path.join(outdir, 'cli.js');
	})();
	return unminified;
}

// ---------------------------------------------------------------------------
// The targets.

async function spawnTarget(args: string[], env: Record<string, string>, folder: string, stopSignal: NodeJS.Signals = 'SIGKILL'): Promise<{child: ChildProcess; cpuUsage(): Promise<number | undefined>; stop(): Promise<void>}> {
	const cpuFile = path.join(folder, 'cpu.jsonl');
	const preload = pathToFileURL(path.join(await compiledFolder(), 'cpuReport.mjs')).href;
	const child = spawn(process.execPath, ['--import', preload, ...args], {cwd: root, env: {PATH: environment['PATH'] ?? '', BENCH_CPU_REPORT_FILE: cpuFile, ...env}, stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr!.on('data', chunk => {
		stderr = (stderr + String(chunk)).slice(-2000);
	});
	child.once('exit', (code, signal) => {
		if (code !== 0 && code !== null && signal === null) console.error(`  ${path.basename(args.at(-1) ?? 'target')} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
	});
	let reports = 0;
	const cpuUsage = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return undefined;
		child.kill('SIGUSR2');
		const wanted = ++reports;
		const deadline = Date.now() + 5000;
		while (Date.now() < deadline) {
			const lines = (await readFile(cpuFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
			if (lines.length >= wanted) {
				const {user, system} = JSON.parse(lines[wanted - 1]!) as {user: number; system: number};
				return user + system;
			}
			await sleep(20);
		}
		return undefined;
	};
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = once(child, 'exit');
		child.kill(stopSignal);
		const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
		await exited;
		clearTimeout(deadline);
	};
	return {child, cpuUsage, stop};
}

const isAlive = (child: ChildProcess) => () => child.exitCode === null && child.signalCode === null;

async function startGlobobot(world: World, folder: string, audited = true): Promise<Running> {
	const databaseUrl = path.join(folder, 'crm.db');
	const database = await openDatabase(databaseUrl);
	await database.accounts.upsertMany([{id: 'ACCT100', due: 10_000, paid: 6000, currency: 'USD'}]);
	await database.close();
	const port = await freePort();
	const serveScript = environment['BENCH_SERVE_SCRIPT'];
	const nodeArgs = [...(environment['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? []), ...(profileFolder ? ['--cpu-prof', `--cpu-prof-dir=${path.join(folder, 'profile')}`] : [])];
	const entry = !audited
		? [await unauditedListener()]
		: serveScript
			? ['--import', 'tsx', path.resolve(serveScript)]
			: [profileFolder ? await unminifiedCli() : path.join(root, 'dist/cli.js'), 'serve'];
	const {child, cpuUsage, stop} = await spawnTarget(
		[...nodeArgs, ...entry],
		{
			WEBEX_API_URL: world.sandbox.url,
			WEBEX_TOKEN: world.bot.token,
			WEBHOOK_SECRET: secret,
			DATABASE_URL: databaseUrl,
			GLOBOBOT_ALLOW: '*',
			// One threaded reply per question, so each reply names its question (parentId).
			GLOBOBOT_GROUP_REPLY: 'room',
			GLOBOBOT_HOME: folder,
			PORT: String(port),
			HOST: '127.0.0.1',
			LOG_LEVEL: environment['BENCH_LOG_LEVEL'] ?? 'info',
			...(environment['BENCH_CONCURRENCY'] && {GLOBOBOT_CONCURRENCY: environment['BENCH_CONCURRENCY']}),
			...Object.fromEntries((environment['BENCH_ENV'] ?? '').split(' ').filter(Boolean).map(pair => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
		},
		folder,
		// A profile is written only by a process that exits by itself.
		profileFolder ? 'SIGTERM' : 'SIGKILL',
	);
	const base = `http://127.0.0.1:${port}`;
	await waitUntilAnswering(`${base}/healthz`, 30_000, isAlive(child)).catch(async error => {
		await stop();
		throw error;
	});
	return {pid: child.pid!, webhookUrl: `${base}/wtwebhook`, cpuUsage, stop};
}

async function startBaseline(name: 'naive' | 'bare', world: World, folder: string): Promise<Running> {
	const port = await freePort();
	const script = path.join(await compiledFolder(), `${name}.mjs`);
	const {child, cpuUsage, stop} = await spawnTarget(
		[script],
		{
			WEBEX_API_URL: world.sandbox.url,
			WEBEX_TOKEN: world.bot.token,
			PORT: String(port),
			ACCOUNTS_FILE: path.join(root, 'fixtures/seed/accounts.json'),
		},
		folder,
	);
	const base = `http://127.0.0.1:${port}`;
	await waitUntilAnswering(`${base}/healthz`, 15_000, isAlive(child)).catch(async error => {
		await stop();
		throw error;
	});
	return {pid: child.pid!, webhookUrl: `${base}/wtwebhook`, cpuUsage, stop};
}

async function startTarget(name: TargetName, world: World, folder: string): Promise<Running> {
	if (name === 'globobot' || name === 'unaudited') return startGlobobot(world, folder, name === 'globobot');
	return startBaseline(name, world, folder);
}

/** Runs the load generator in its own process on one job; resolves with what it measured. */
async function generateLoad(url: string, jobFile: string, folder: string): Promise<LoadProcessResult> {
	const resultFile = path.join(folder, `load-${path.basename(jobFile)}`);
	const child = spawn(process.execPath, [path.join(await compiledFolder(), 'loadProcess.mjs'), url, jobFile, resultFile], {stdio: ['ignore', 'ignore', 'inherit']});
	const [code] = (await once(child, 'exit')) as [number | null];
	if (code !== 0) throw new Error(`the load generator exited ${code}`);
	return JSON.parse(await readFile(resultFile, 'utf8')) as LoadProcessResult;
}

// ---------------------------------------------------------------------------
// One run: one target, one rate.

async function runOnce(name: TargetName, world: World, rate: number, round: number): Promise<RunFigures> {
	const folder = await mkdtemp(path.join(tmpdir(), `globobot-bench-${name}-`));
	const count = world.questions.length;
	const {measured} = world;
	const replyAt = new Float64Array(count).fill(Number.NaN);
	let replies = 0;
	let warmupReplies = 0;
	let duplicates = 0;
	let lastReplyAt = 0;
	const unsubscribe = world.sandbox.onMessage(message => {
		if (message.personId !== world.bot.person.id || message.parentId === undefined) return;
		const index = world.indexById.get(message.parentId);
		if (index === undefined) return;
		if (!Number.isNaN(replyAt[index]!)) {
			duplicates++;
			return;
		}
		replyAt[index] = epochNow();
		if (index >= measured) {
			warmupReplies++;
			return;
		}
		lastReplyAt = replyAt[index]!;
		replies++;
	});
	let running: Running | undefined;
	try {
		running = await startTarget(name, world, folder);
		if (world.jobs.warmup) {
			// Warm-up: JIT, connection pools, lazy loading; then let its replies drain.
			const warmup = await generateLoad(running.webhookUrl, world.jobs.warmup, folder);
			const warmupUntil = Date.now() + drainMs;
			while (warmupReplies < warmup.ok && Date.now() < warmupUntil) await sleep(50);
		}
		const cpuBefore = await running.cpuUsage();
		const load = await generateLoad(running.webhookUrl, world.jobs.measured, folder);
		const drainUntil = Date.now() + drainMs;
		while (replies < load.ok && Date.now() < drainUntil) await sleep(50);
		const cpuAfter = await running.cpuUsage();
		const rss = await peakRssBytes(running.pid);
		const sentAt = load.sentAt.map(at => at ?? Number.NaN);
		const firstSent = sentAt[0]!;
		const replyLatencies = replyLatenciesOf(Float64Array.from(sentAt), replyAt.subarray(0, measured));
		const backlogAt = (at: number) => load.answeredAt.filter(answered => answered !== null && answered <= at).length - replyAt.subarray(0, measured).filter(replied => replied <= at).length;
		const lastSent = Math.max(...sentAt.filter(Number.isFinite));
		return {
			answerP50: percentile(load.latenciesMs, 0.5),
			answerP99: percentile(load.latenciesMs, 0.99),
			answerMax: percentile(load.latenciesMs, 1),
			answersPerSecond: load.elapsedMs > 0 ? (load.ok * 1000) / load.elapsedMs : 0,
			repliesPerSecond: replies > 0 ? (replies * 1000) / (lastReplyAt - firstSent) : 0,
			replyP50: finite(percentile(replyLatencies, 0.5)),
			replyP99: finite(percentile(replyLatencies, 0.99)),
			accepted: load.ok,
			unreplied: Math.max(0, load.ok - replies),
			duplicates,
			backlogMiddle: backlogAt(firstSent + (lastSent - firstSent) / 2),
			backlogEnd: backlogAt(lastSent),
			...(rss !== undefined && {peakRssMb: rss / 2 ** 20}),
			...(cpuBefore !== undefined && cpuAfter !== undefined && replies > 0 && {cpuPerReplyUs: (cpuAfter - cpuBefore) / replies}),
		};
	} finally {
		unsubscribe();
		await running?.stop();
		if (name === 'globobot' && profileFolder) await keepProfile(folder, rate, round);
		await rm(folder, {recursive: true, force: true});
	}
}

/** Moves the run's .cpuprofile to BENCH_CPU_PROF as globobot-RATE-ROUND.cpuprofile. */
async function keepProfile(folder: string, rate: number, round: number): Promise<void> {
	const written = (await readdir(path.join(folder, 'profile')).catch(() => [])).filter(file => file.endsWith('.cpuprofile'));
	if (written.length === 0) return;
	await mkdir(profileFolder!, {recursive: true});
	await rename(path.join(folder, 'profile', written[0]!), profilePath(rate, round));
}

const profilePath = (rate: number, round: number) => path.join(profileFolder!, `globobot-${rate}-${round}.cpuprofile`);

/** Sent → reply, sorted; a delivery sent but never answered counts as infinitely late. */
function replyLatenciesOf(sentAt: Float64Array, replyAt: Float64Array): Float64Array {
	const latencies: number[] = [];
	for (let index = 0; index < sentAt.length; index++) {
		if (Number.isNaN(sentAt[index]!)) continue;
		latencies.push(Number.isNaN(replyAt[index]!) ? Number.POSITIVE_INFINITY : replyAt[index]! - sentAt[index]!);
	}
	return Float64Array.from(latencies).sort();
}

const finite = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value : undefined);

// ---------------------------------------------------------------------------
// Tables.

interface Summary {
	target: TargetName;
	rate: number;
	figures: Record<keyof RunFigures, number | undefined>;
}

function summarise(target: TargetName, rate: number, runs: RunFigures[]): Summary {
	const keys = [...new Set(runs.flatMap(run => Object.keys(run)))] as Array<keyof RunFigures>;
	const figures = Object.fromEntries(keys.map(key => [key, median(runs.map(run => run[key]))])) as Summary['figures'];
	// A figure missing from any run (e.g. replies never arrived) is not a median of the rest.
	for (const key of ['replyP50', 'replyP99'] as const) if (runs.some(run => run[key] === undefined)) figures[key] = undefined;
	return {target, rate, figures};
}

const fixed = (value: number | undefined, digits = 1): number | string => (value === undefined ? '—' : Number(value.toFixed(digits)));

function resultRow(summary: Summary): BenchRow {
	const {figures} = summary;
	return {
		handler: summary.target,
		'rate/s': summary.rate,
		'answer p50 / p99 ms': `${fixed(figures.answerP50, 2)} / ${fixed(figures.answerP99, 2)}`,
		'reply p50 ms': fixed(figures.replyP50, 1),
		'reply p99 ms': fixed(figures.replyP99, 1),
		'replies/s': fixed(figures.repliesPerSecond, 0),
		'backlog mid / end': `${fixed(figures.backlogMiddle, 0)} / ${fixed(figures.backlogEnd, 0)}`,
		'peak RSS MB': fixed(figures.peakRssMb, 1),
		'CPU µs/reply': fixed(figures.cpuPerReplyUs, 0),
		'unreplied / dup': `${fixed(figures.unreplied, 0)} / ${fixed(figures.duplicates, 0)}`,
	};
}

const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}×`);

/** globobot ÷ baseline, per rate: below 1× is better for latency, memory and CPU, above 1× for throughput. */
function ratioRows(summaries: Summary[]): BenchRow[] {
	const rows: BenchRow[] = [];
	for (const baseline of ['bare', 'naive', 'unaudited'] as const) {
		for (const rate of rates) {
			const ours = summaries.find(summary => summary.target === 'globobot' && summary.rate === rate)?.figures;
			const theirs = summaries.find(summary => summary.target === baseline && summary.rate === rate)?.figures;
			if (!ours || !theirs) continue;
			rows.push({
				'globobot ÷': baseline,
				'rate/s': rate,
				'answer p99': ratio(ours.answerP99, theirs.answerP99),
				'replies/s': ratio(ours.repliesPerSecond, theirs.repliesPerSecond),
				'reply p50': ratio(ours.replyP50, theirs.replyP50),
				'peak RSS': ratio(ours.peakRssMb, theirs.peakRssMb),
				'CPU/reply': ratio(ours.cpuPerReplyUs, theirs.cpuPerReplyUs),
			});
		}
	}
	return rows;
}

/** A figure from another bench's latest result file: `column` of the first row where `key` is `value`. */
async function otherBenchFigure(name: string, key: string, value: string, column: string): Promise<number | undefined> {
	try {
		const result = JSON.parse(await readFile(path.join(root, 'bench/results', `${name}.json`), 'utf8')) as {rows: BenchRow[]};
		const figure = result.rows.find(row => row[key] === value)?.[column];
		return typeof figure === 'number' ? figure : undefined;
	} catch {
		return undefined;
	}
}

function targetRow(check: string, goal: string, measured: string | undefined, met: boolean | undefined): BenchRow {
	return {target: check, goal, measured: measured ?? 'not measured', result: met === undefined ? '—' : met ? 'met' : 'MISSED'};
}

const both = <T>(a: T | undefined, b: T | undefined): [T, T] | undefined => (a === undefined || b === undefined ? undefined : [a, b]);

async function targetRows(summaries: Summary[]): Promise<BenchRow[]> {
	const of = (target: TargetName, rate: number) => summaries.find(summary => summary.target === target && summary.rate === rate)?.figures;
	const ours = (rate: number) => of('globobot', rate);
	const bare = (rate: number) => of('bare', rate);
	const rows: BenchRow[] = [];
	const p99 = both(ours(500)?.answerP99, bare(500)?.answerP99);
	rows.push(targetRow('answer p99 at 500/s', '≤ 1.5 × bare', p99 && `${p99[0].toFixed(2)} ms = ${(p99[0] / p99[1]).toFixed(2)} × bare (${p99[1].toFixed(2)} ms)`, p99 && p99[0] <= 1.5 * p99[1]));
	const reply = both(ours(500)?.replyP50, bare(500)?.replyP50);
	rows.push(targetRow('reply p50 at 500/s', '≤ bare + 3 ms', reply && `${reply[0].toFixed(1)} ms = bare ${reply[0] >= reply[1] ? '+' : '−'} ${Math.abs(reply[0] - reply[1]).toFixed(1)} ms`, reply && reply[0] <= reply[1] + 3));
	const throughput = both(ours(1000)?.repliesPerSecond, bare(1000)?.repliesPerSecond);
	const backlog = both(ours(1000)?.backlogMiddle, ours(1000)?.backlogEnd);
	// Growing: the end's backlog is more than a tenth of a second's deliveries above the middle's.
	const growing = backlog && backlog[1] > backlog[0] + 100;
	rows.push(targetRow('throughput at 1000/s', '≥ 0.9 × bare, no backlog growing', throughput && backlog && `${(throughput[0] / throughput[1]).toFixed(2)} × bare; backlog ${backlog[0]} → ${backlog[1]}`, throughput && backlog && throughput[0] >= 0.9 * throughput[1] && !growing));
	const rss = ours(500)?.peakRssMb;
	rows.push(targetRow('peak RSS at 500/s', '≤ 100 MB', rss === undefined ? undefined : `${rss.toFixed(1)} MB (bare ${fixed(bare(500)?.peakRssMb)} MB)`, rss === undefined ? undefined : rss <= 100));
	for (const rate of rates) {
		const cpu = both(ours(rate)?.cpuPerReplyUs, bare(rate)?.cpuPerReplyUs);
		rows.push(targetRow(`CPU per reply at ${rate}/s`, '≤ 3 × bare', cpu && `${cpu[0].toFixed(0)} µs = ${(cpu[0] / cpu[1]).toFixed(2)} × bare (${cpu[1].toFixed(0)} µs)`, cpu && cpu[0] <= 3 * cpu[1]));
	}
	// Issue 15: what the audit trail adds, globobot against the same listener without its hooks.
	for (const rate of rates) {
		const audited = ours(rate);
		const unaudited = of('unaudited', rate);
		if (!audited || !unaudited) continue;
		const cpu = both(audited.cpuPerReplyUs, unaudited.cpuPerReplyUs);
		const reply = both(audited.replyP50, unaudited.replyP50);
		const measured = cpu && reply && `CPU/reply ${((cpu[0] / cpu[1] - 1) * 100).toFixed(1)}%, reply p50 ${reply[0] >= reply[1] ? '+' : '−'}${Math.abs(reply[0] - reply[1]).toFixed(1)} ms`;
		rows.push(targetRow(`audit trail's cost at ${rate}/s (÷ unaudited)`, '≤ 10% CPU per reply', measured, cpu && cpu[0] <= 1.1 * cpu[1]));
	}
	// From the other benches' latest results (`npm run bench` runs crm and tui before this one).
	const lookup = await otherBenchFigure('crm', 'backend', 'sqlite', 'lookup p99 µs');
	rows.push(targetRow('CRM lookup p99, SQLite (bench/results/crm.json)', '≤ 1 ms', lookup === undefined ? undefined : `${(lookup / 1000).toFixed(2)} ms`, lookup === undefined ? undefined : lookup <= 1000));
	const firstFrame = await otherBenchFigure('tui', 'measure', 'launch → first frame', 'median ms');
	rows.push(targetRow('TUI first frame (bench/results/tui.json)', '≤ 400 ms', firstFrame === undefined ? undefined : `${firstFrame} ms`, firstFrame === undefined ? undefined : firstFrame <= 400));
	return rows;
}

/** The top frames of the last round's profile at each rate. */
async function profileNotes(): Promise<string[]> {
	if (!profileFolder) return [];
	const notes: string[] = [];
	for (const rate of rates) {
		const file = profilePath(rate, repeats);
		if (!existsSync(file)) continue;
		const summary = await summariseProfile(file, 15, root);
		notes.push(`globobot at ${rate}/s, round ${repeats}: ${summary.totalMs} ms sampled (${path.relative(root, file)}); top frames by self time:`, ...formatFrames(summary.frames).map(line => `  ${line}`));
	}
	return notes;
}

// ---------------------------------------------------------------------------

export async function run(): Promise<BenchReport> {
	if (!environment['BENCH_SERVE_SCRIPT'] && !profileFolder && targetNames.includes('globobot') && !existsSync(path.join(root, 'dist/cli.js'))) {
		throw new Error('dist/cli.js is missing: run `npm run build` first (npm run bench does)');
	}
	const summaries: Summary[] = [];
	for (const rate of rates) {
		const runs = new Map<TargetName, RunFigures[]>(targetNames.map(name => [name, []]));
		for (let round = 1; round <= repeats; round++) {
			const world = await createWorld(Math.round(rate * seconds), Math.round(rate * warmupSeconds), rate);
			try {
				for (const name of targetNames) {
					const figures = await runOnce(name, world, rate, round);
					runs.get(name)!.push(figures);
					console.log(`  ${name} ${rate}/s round ${round}/${repeats}: answer p50/p99 ${fixed(figures.answerP50, 2)}/${fixed(figures.answerP99, 2)} ms, reply p50 ${fixed(figures.replyP50, 1)} ms, ${fixed(figures.repliesPerSecond, 0)} replies/s, backlog ${figures.backlogMiddle} → ${figures.backlogEnd}, unreplied ${figures.unreplied}, RSS ${fixed(figures.peakRssMb, 0)} MB, CPU ${fixed(figures.cpuPerReplyUs, 0)} µs/reply`);
				}
			} finally {
				await world.sandbox.close();
				await rm(world.folder, {recursive: true, force: true});
			}
		}
		for (const name of targetNames) summaries.push(summarise(name, rate, runs.get(name)!));
	}
	return {
		rows: summaries.map(summary => resultRow(summary)),
		tables: [
			{title: 'globobot relative to the baselines', rows: ratioRows(summaries)},
			{title: 'targets (issue 17)', rows: await targetRows(summaries)},
		],
		notes: [
			`${seconds} s per rate after ${warmupSeconds} s of warm-up, median of ${repeats} alternating round(s) (${targetNames.join(', ')}); the sandbox adds ${webexLatencyMs} ms to each Webex call.`,
			'Processes: this one (sandbox, reply timing), the load generator (its own), the target (its own). CPU per reply: the target\'s own user+system time over the measured window ÷ its replies.',
			`globobot: GLOBOBOT_CONCURRENCY=${environment['BENCH_CONCURRENCY'] ?? 'default'}, LOG_LEVEL=${environment['BENCH_LOG_LEVEL'] ?? 'info'}, SQLite${profileFolder ? ', unminified with --cpu-prof (slower than the shipped build)' : ''}; load average at the end ${loadavg().map(value => value.toFixed(1)).join(' ')} on ${cpus().length} cores.`,
			'reply latency: delivery sent → reply created in the sandbox; a delivery with no reply within the drain time makes that percentile "—". backlog: answered 2xx − replied, halfway through sending and at its end.',
			...(await profileNotes()),
		],
	};
}
