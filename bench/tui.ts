// Time from launching the compiled CLI to its first frame, and to the list of
// 1,000 webhooks on screen, in a real pseudo-terminal (util-linux `script`),
// against the sandbox. Ink needs a TTY, and a pty is what an operator has.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {startSandbox} from '../source/sandbox/index.js';
import type {BenchRow} from './index.js';

export const description = 'TUI start-up: launch → first frame and → 1,000 webhooks listed (compiled CLI in a pty, median of runs)';

const cli = path.resolve(process.env['BENCH_TUI_CLI'] ?? 'dist/cli.js');
const runs = Number(process.env['BENCH_TUI_RUNS'] ?? 7);
const webhookCount = Number(process.env['BENCH_TUI_WEBHOOKS'] ?? 1000);

interface Timing {
	firstFrameMs: number;
	listedMs: number;
}

/** Launches the TUI once and watches its output for the first frame and for the counter that says the whole list is in. */
function launchOnce(env: Record<string, string>, listedMarker: string): Promise<Timing> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		let firstFrameMs = 0;
		let output = '';
		let listed = false;
		const child = spawn('script', ['-qfec', `node ${cli} --no-listener`, '/dev/null'], {
			env: {PATH: process.env['PATH'] ?? '', TERM: 'xterm-256color', COLUMNS: '140', LINES: '40', CI: 'false', ...env},
			stdio: ['pipe', 'pipe', 'inherit'],
		});
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error('the TUI did not show the list within 20 s'));
		}, 20_000);
		child.stdout.on('data', (chunk: Buffer) => {
			if (!firstFrameMs) firstFrameMs = performance.now() - started;
			output += chunk.toString('utf8');
			if (!listed && output.includes(listedMarker)) {
				listed = true;
				const listedMs = performance.now() - started;
				clearTimeout(timer);
				child.stdin.write('q');
				child.once('exit', () => resolve({firstFrameMs, listedMs}));
				setTimeout(() => child.kill('SIGKILL'), 2000).unref();
			}
		});
	});
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
};

export async function run(): Promise<BenchRow[]> {
	if (!existsSync(cli)) throw new Error('dist/cli.js is missing: npm run bench builds it first');
	const sandbox = await startSandbox();
	try {
		const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
		for (let index = 0; index < webhookCount; index++) {
			await fetch(`${sandbox.url}/webhooks`, {
				method: 'POST',
				headers: {authorization: `Bearer ${bot.token}`, 'content-type': 'application/json'},
				body: JSON.stringify({name: `hook-${index}`, targetUrl: `https://ops.example.com/${index}`, resource: 'messages', event: 'created', secret: 'bench-secret-123'}),
			});
		}
		const env = {WEBEX_TOKEN: bot.token, WEBEX_API_URL: sandbox.url, GLOBOBOT_HOME: '/tmp/globobot-bench-tui', WEBHOOK_SECRET: 'bench-secret-123'};
		// The list's position counter ("1/1000") appears only once every page is in.
		const marker = `1/${webhookCount}`;
		await launchOnce(env, marker); // warm the file cache; not counted
		const timings: Timing[] = [];
		for (let index = 0; index < runs; index++) timings.push(await launchOnce(env, marker));
		const firstFrame = median(timings.map(timing => timing.firstFrameMs));
		return [
			{measure: 'launch → first frame', 'median ms': Math.round(firstFrame), 'min ms': Math.round(Math.min(...timings.map(timing => timing.firstFrameMs))), target: '≤ 400', met: firstFrame <= 400 ? 'yes' : 'no'},
			{measure: `launch → ${webhookCount} webhooks listed`, 'median ms': Math.round(median(timings.map(timing => timing.listedMs))), 'min ms': Math.round(Math.min(...timings.map(timing => timing.listedMs))), target: '', met: ''},
		];
	} finally {
		await sandbox.close();
	}
}
