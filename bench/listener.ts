// The listener under load, against two baselines, in one run.
//
// For each rate (100, 500, 1,000 deliveries/s) and each repeat, a fresh
// sandbox adds 50 ms to every Webex call and holds the questions, created
// beforehand (no webhook is registered: we send the signed envelopes
// ourselves, open-loop, see load.ts). Then, one after another, each target
// runs in its own process on the same questions:
//   globobot  `node dist/cli.js serve` on a fresh SQLite database
//   naive     the original demo's handler (answers after both Webex calls)
//   bare      a bare node:http handler (answers, then the two calls): the floor
// Each figure is the median over the repeats.
//
// Environment: BENCH_SECONDS (20), BENCH_RATES (100,500,1000), BENCH_REPEATS (3),
// BENCH_LATENCY_MS (50), BENCH_DRAIN_SECONDS (5: how long replies may trail the
// last delivery), BENCH_WARMUP_SECONDS (1, at the same rate, not measured), BENCH_TARGETS (globobot,naive,bare), BENCH_LOG_LEVEL (info),
// BENCH_CONCURRENCY (passed as GLOBOBOT_CONCURRENCY when set),
// BENCH_CPU_PROF (a folder: globobot runs with --cpu-prof and stops gracefully),
// BENCH_SERVE_SCRIPT (a .ts entry run with tsx instead of `dist/cli.js serve`).
import {spawn, type ChildProcess} from 'node:child_process';
import {createHmac} from 'node:crypto';
import {once} from 'node:events';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {cpus, loadavg, tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {openDatabase} from '../source/crm/database.js';
import {startSandbox, type Sandbox, type SandboxIdentity, type SandboxMessage} from '../source/sandbox/index.js';
import type {BenchReport, BenchRow} from './index.js';
import {freePort, median, peakRssBytes, percentile, sendAtRate, waitUntilAnswering, type LoadResult} from './load.js';

export const description = 'Listener: signed deliveries at fixed rates, 50 ms per Webex call; globobot vs the naive demo handler vs a bare node:http handler';

const environment = process.env;
const seconds = Number(environment['BENCH_SECONDS'] ?? 20);
const rates = (environment['BENCH_RATES'] ?? '100,500,1000').split(',').map(Number);
const repeats = Number(environment['BENCH_REPEATS'] ?? 3);
const webexLatencyMs = Number(environment['BENCH_LATENCY_MS'] ?? 50);
const drainMs = Number(environment['BENCH_DRAIN_SECONDS'] ?? 5) * 1000;
const warmupSeconds = Number(environment['BENCH_WARMUP_SECONDS'] ?? 1);
const targetNames = (environment['BENCH_TARGETS'] ?? 'globobot,naive,bare').split(',') as TargetName[];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const secret = 'bench-webhook-secret';
const question = 'what is the balance for ACCT100';

type TargetName = 'globobot' | 'naive' | 'bare';

/** The sandbox of one (rate, repeat): the bot, a person, a room, and the questions with their signed envelopes. */
interface World {
	/** Questions [0, measured) are measured; the rest warm the target up first. */
	measured: number;
	sandbox: Sandbox;
	bot: SandboxIdentity;
	questions: SandboxMessage[];
	indexById: Map<string, number>;
	envelopes: Buffer[];
	signatures: string[];
}

/** A target process, listening. */
interface Running {
	pid: number;
	webhookUrl: string;
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
	peakRssMb?: number;
}

async function createWorld(measured: number, warmup: number): Promise<World> {
	const count = measured + warmup;
	const sandbox = await startSandbox({latencyMs: webexLatencyMs, deliveryTimeoutMs: 1000});
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const asker = sandbox.createPerson({displayName: 'Alice Admin', email: 'alice@globomantics.com'});
	const room = sandbox.createRoom({title: 'Bench', memberIds: [asker.person.id, bot.person.id]});
	const questions: SandboxMessage[] = [];
	for (let index = 0; index < count; index++) {
		questions.push(await sandbox.sendMessage(asker.token, {roomId: room.id, markdown: `<@personId:${bot.person.id}|globobot> ${question}`}));
	}
	const envelopes = questions.map(message => Buffer.from(JSON.stringify(envelopeFor(message, bot.person.id))));
	return {
		measured,
		sandbox,
		bot,
		questions,
		indexById: new Map(questions.map((message, index) => [message.id, index])),
		envelopes,
		signatures: envelopes.map(body => createHmac('sha1', secret).update(body).digest('hex')),
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
// The targets.

function spawnTarget(command: string, args: string[], env: Record<string, string>, stopSignal: NodeJS.Signals = 'SIGKILL'): {child: ChildProcess; stop(): Promise<void>} {
	const child = spawn(command, args, {cwd: root, env: {PATH: environment['PATH'] ?? '', ...env}, stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr!.on('data', chunk => {
		stderr = (stderr + String(chunk)).slice(-2000);
	});
	child.once('exit', (code, signal) => {
		if (code !== 0 && code !== null && signal === null) console.error(`  ${path.basename(args.at(-1) ?? command)} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
	});
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = once(child, 'exit');
		child.kill(stopSignal);
		const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
		await exited;
		clearTimeout(deadline);
	};
	return {child, stop};
}

const isAlive = (child: ChildProcess) => () => child.exitCode === null && child.signalCode === null;

async function startGlobobot(world: World, folder: string): Promise<Running> {
	const databaseUrl = path.join(folder, 'crm.db');
	const database = await openDatabase(databaseUrl);
	await database.accounts.upsertMany([{id: 'ACCT100', due: 10_000, paid: 6000, currency: 'USD'}]);
	await database.close();
	const port = await freePort();
	const profileFolder = environment['BENCH_CPU_PROF'];
	const serveScript = environment['BENCH_SERVE_SCRIPT'];
	const nodeArgs = profileFolder ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileFolder)}`] : [];
	const entry = serveScript ? ['--import', 'tsx', path.resolve(serveScript)] : [path.join(root, 'dist/cli.js'), 'serve'];
	const {child, stop} = spawnTarget(
		process.execPath,
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
		},
		profileFolder ? 'SIGTERM' : 'SIGKILL',
	);
	const base = `http://127.0.0.1:${port}`;
	await waitUntilAnswering(`${base}/healthz`, 30_000, isAlive(child)).catch(async error => {
		await stop();
		throw error;
	});
	return {pid: child.pid!, webhookUrl: `${base}/wtwebhook`, stop};
}

let compiledBaselines: Promise<string> | undefined;

/** The baselines bundled once into plain JS, so they start and run as the compiled CLI does (no tsx in the process). */
async function baselineFolder(): Promise<string> {
	compiledBaselines ??= (async () => {
		const folder = await mkdtemp(path.join(tmpdir(), 'globobot-baselines-'));
		await build({
			entryPoints: ['naive', 'bare'].map(name => path.join(root, 'bench/baselines', `${name}.ts`)),
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
	return compiledBaselines;
}

async function startBaseline(name: 'naive' | 'bare', world: World): Promise<Running> {
	const port = await freePort();
	const script = path.join(await baselineFolder(), `${name}.mjs`);
	const {child, stop} = spawnTarget(process.execPath, [script], {
		WEBEX_API_URL: world.sandbox.url,
		WEBEX_TOKEN: world.bot.token,
		PORT: String(port),
		ACCOUNTS_FILE: path.join(root, 'fixtures/seed/accounts.json'),
	});
	const base = `http://127.0.0.1:${port}`;
	await waitUntilAnswering(`${base}/healthz`, 15_000, isAlive(child)).catch(async error => {
		await stop();
		throw error;
	});
	return {pid: child.pid!, webhookUrl: `${base}/wtwebhook`, stop};
}

async function startTarget(name: TargetName, world: World, folder: string): Promise<Running> {
	return name === 'globobot' ? startGlobobot(world, folder) : startBaseline(name, world);
}

// ---------------------------------------------------------------------------
// One run: one target, one rate.

async function runOnce(name: TargetName, world: World, rate: number): Promise<RunFigures> {
	const folder = await mkdtemp(path.join(tmpdir(), `globobot-bench-${name}-`));
	const count = world.questions.length;
	const {measured} = world;
	const sentAt = new Float64Array(count).fill(Number.NaN);
	const replyAt = new Float64Array(count).fill(Number.NaN);
	let replies = 0;
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
		replyAt[index] = performance.now();
		if (index >= measured) return;
		lastReplyAt = replyAt[index]!;
		replies++;
	});
	const send = async (first: number, sendSeconds: number) =>
		sendAtRate({
			url: running!.webhookUrl,
			rate,
			seconds: sendSeconds,
			request: index => ({
				body: world.envelopes[first + index]!,
				headers: {'content-type': 'application/json', 'x-spark-signature': world.signatures[first + index]!},
			}),
			onSent(index, at) {
				sentAt[first + index] = at;
			},
		});
	let running: Running | undefined;
	try {
		running = await startTarget(name, world, folder);
		if (count > measured) {
			// Warm-up: JIT, connection pools, lazy loading; then let its replies drain.
			const warmup = await send(measured, (count - measured) / rate);
			const warmupUntil = Date.now() + drainMs;
			const warmupReplies = () => replyAt.subarray(measured).filter(at => !Number.isNaN(at)).length;
			while (warmupReplies() < warmup.ok && Date.now() < warmupUntil) await sleep(50);
		}
		const load: LoadResult = await send(0, seconds);
		const drainUntil = Date.now() + drainMs;
		while (replies < load.ok && Date.now() < drainUntil) await sleep(50);
		const rss = await peakRssBytes(running.pid);
		const firstSent = sentAt[0]!;
		const replyLatencies = replyLatenciesOf(sentAt.subarray(0, measured), replyAt.subarray(0, measured));
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
			...(rss !== undefined && {peakRssMb: rss / 2 ** 20}),
		};
	} finally {
		unsubscribe();
		await running?.stop();
		await rm(folder, {recursive: true, force: true});
	}
}

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
	const keys = Object.keys(runs[0] ?? {}) as Array<keyof RunFigures>;
	const figures = Object.fromEntries(keys.map(key => [key, median(runs.map(run => run[key]))])) as Summary['figures'];
	// A figure missing from any run (e.g. replies never arrived) is not a median of the rest.
	for (const key of ['replyP50', 'replyP99'] as const) if (runs.some(run => run[key] === undefined)) figures[key] = undefined;
	return {target, rate, figures};
}

const fixed = (value: number | undefined, digits = 1): number | string => (value === undefined ? '—' : Number(value.toFixed(digits)));

function resultRow(summary: Summary): BenchRow {
	const {figures} = summary;
	const overhead = figures.replyP50 === undefined ? undefined : figures.replyP50 - 2 * webexLatencyMs;
	return {
		target: summary.target,
		'rate/s': summary.rate,
		'answer p50 ms': fixed(figures.answerP50, 2),
		'answer p99 ms': fixed(figures.answerP99, 2),
		'answer max ms': fixed(figures.answerMax, 1),
		'answers/s': fixed(figures.answersPerSecond, 0),
		'replies/s': fixed(figures.repliesPerSecond, 0),
		'reply p50 ms': fixed(figures.replyP50, 1),
		'reply p99 ms': fixed(figures.replyP99, 1),
		'overhead p50 ms': fixed(overhead, 1),
		'peak RSS MB': fixed(figures.peakRssMb, 1),
		unreplied: fixed(figures.unreplied, 0),
		duplicates: fixed(figures.duplicates, 0),
	};
}

const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}×`);

/** globobot ÷ baseline, per rate: below 1× is better for latency and memory, above 1× for throughput. */
function ratioRows(summaries: Summary[]): BenchRow[] {
	const rows: BenchRow[] = [];
	for (const baseline of ['naive', 'bare'] as const) {
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
				'reply p99': ratio(ours.replyP99, theirs.replyP99),
				'peak RSS': ratio(ours.peakRssMb, theirs.peakRssMb),
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

function targetRow(check: string, goal: string, measured: number | undefined, unit: string, met: (value: number) => boolean): BenchRow {
	return {target: check, goal, measured: measured === undefined ? 'not measured' : `${Number(measured.toFixed(2))} ${unit}`, result: measured === undefined ? '—' : met(measured) ? 'met' : 'MISSED'};
}

async function targetRows(summaries: Summary[]): Promise<BenchRow[]> {
	const ours = (rate: number) => summaries.find(summary => summary.target === 'globobot' && summary.rate === rate)?.figures;
	const bare = (rate: number) => summaries.find(summary => summary.target === 'bare' && summary.rate === rate)?.figures;
	const rows: BenchRow[] = [targetRow('answer p99 at 500/s', '≤ 5 ms', ours(500)?.answerP99, 'ms', value => value <= 5)];
	for (const rate of rates) {
		const replyP50 = ours(rate)?.replyP50;
		rows.push(targetRow(`overhead p50 at ${rate}/s`, '≤ 3 ms', replyP50 === undefined ? undefined : replyP50 - 2 * webexLatencyMs, 'ms', value => value <= 3));
	}
	for (const rate of rates) {
		const share = ours(rate) && bare(rate)?.repliesPerSecond ? ours(rate)!.repliesPerSecond! / bare(rate)!.repliesPerSecond! : undefined;
		rows.push(targetRow(`throughput at ${rate}/s`, '≥ 0.7 × bare', share, '× bare', value => value >= 0.7));
	}
	const peak = Math.max(...summaries.filter(summary => summary.target === 'globobot').map(summary => summary.figures.peakRssMb ?? 0));
	rows.push(targetRow('peak RSS (any rate)', '≤ 150 MB', peak > 0 ? peak : undefined, 'MB', value => value <= 150));
	// From the other benches' latest results (`npm run bench` runs crm before, tui after this one).
	const lookup = await otherBenchFigure('crm', 'backend', 'sqlite', 'lookup p99 µs');
	rows.push(targetRow('CRM lookup p99, SQLite (bench/results/crm.json)', '≤ 1 ms', lookup === undefined ? undefined : lookup / 1000, 'ms', value => value <= 1));
	const firstFrame = await otherBenchFigure('tui', 'measure', 'launch → first frame', 'median ms');
	rows.push(targetRow('TUI first frame (bench/results/tui.json)', '≤ 400 ms', firstFrame, 'ms', value => value <= 400));
	return rows;
}

// ---------------------------------------------------------------------------

export async function run(): Promise<BenchReport> {
	if (!environment['BENCH_SERVE_SCRIPT'] && targetNames.includes('globobot') && !existsSync(path.join(root, 'dist/cli.js'))) {
		throw new Error('dist/cli.js is missing: run `npm run build` first (npm run bench does)');
	}
	const summaries: Summary[] = [];
	for (const rate of rates) {
		const runs = new Map<TargetName, RunFigures[]>(targetNames.map(name => [name, []]));
		for (let repeat = 1; repeat <= repeats; repeat++) {
			const world = await createWorld(Math.round(rate * seconds), Math.round(rate * warmupSeconds));
			try {
				for (const name of targetNames) {
					const figures = await runOnce(name, world, rate);
					runs.get(name)!.push(figures);
					console.log(`  ${name} ${rate}/s run ${repeat}/${repeats}: answer p99 ${fixed(figures.answerP99, 2)} ms, reply p50 ${fixed(figures.replyP50, 1)} ms, ${fixed(figures.repliesPerSecond, 0)} replies/s, unreplied ${figures.unreplied}, RSS ${fixed(figures.peakRssMb, 0)} MB`);
				}
			} finally {
				await world.sandbox.close();
			}
		}
		for (const name of targetNames) summaries.push(summarise(name, rate, runs.get(name)!));
	}
	return {
		rows: summaries.map(summary => resultRow(summary)),
		tables: [
			{title: 'globobot relative to the baselines', rows: ratioRows(summaries)},
			{title: 'targets', rows: await targetRows(summaries)},
		],
		notes: [
			`${seconds} s per rate after ${warmupSeconds} s of warm-up, median of ${repeats} run(s); the sandbox adds ${webexLatencyMs} ms to each Webex call; overhead = reply p50 − ${2 * webexLatencyMs} ms.`,
			`globobot: GLOBOBOT_CONCURRENCY=${environment['BENCH_CONCURRENCY'] ?? 'default'}, LOG_LEVEL=${environment['BENCH_LOG_LEVEL'] ?? 'info'}, SQLite; load average at the end ${loadavg().map(value => value.toFixed(1)).join(' ')} on ${cpus().length} cores.`,
			'reply latency: delivery sent → reply created in the sandbox; a delivery with no reply within the drain time makes that percentile "—".',
		],
	};
}
