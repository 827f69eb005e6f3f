// `globobot-admin serve --events websocket` as a real process (the compiled
// CLI: `npm run build` first) on a fault world's sandbox: no public URL, no
// webhook and no webhook secret; Webex is reached through the sandbox's
// catalog (WEBEX_CATALOG_URL), every other host from its answers.
import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import path from 'node:path';
import type {ExecutionContext} from 'ava';
import {waitFor, type FaultWorld} from '../../faults/helpers.js';

type Context = Pick<ExecutionContext, 'teardown'>;

export interface WebsocketServe {
	readonly child: ChildProcess;
	/** http://127.0.0.1:<port>: /healthz, /readyz, /metrics */
	readonly url: string;
	alive(): boolean;
	stderr(): string;
	/** SIGKILL: no cleanup, no lease released. */
	kill(): Promise<void>;
	/** A gauge or counter from /metrics (summed over its labels); NaN when absent or unreachable. */
	metric(name: string): Promise<number>;
}

function environment(world: FaultWorld, port: number, env: Record<string, string>): Record<string, string> {
	return {
		PATH: process.env['PATH'] ?? '',
		WEBEX_API_URL: world.sandbox.url,
		WEBEX_CATALOG_URL: world.sandbox.websocket.catalogUrl,
		WEBEX_TOKEN: world.bot.token,
		DATABASE_URL: world.databaseUrl,
		GLOBOBOT_ALLOW: '@globomantics.com',
		GLOBOBOT_GROUP_REPLY: 'room',
		GLOBOBOT_LIMIT_LOOKUPS: '1000000/1m',
		GLOBOBOT_LIMIT_MISSES: '1000000/1m',
		GLOBOBOT_HOME: world.home,
		PORT: String(port),
		HOST: '127.0.0.1',
		LOG_LEVEL: 'warn',
		...env,
	};
}

const cli = () => [path.resolve('dist/cli.js'), 'serve', '--events', 'websocket'];

/** Starts serve in websocket mode and waits for /healthz. */
export async function startWebsocketServe(t: Context, world: FaultWorld, port: number, env: Record<string, string> = {}): Promise<WebsocketServe> {
	const child = spawn(process.execPath, cli(), {env: environment(world, port, env), stdio: ['ignore', 'ignore', 'pipe']});
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
	const metrics = async () => {
		try {
			const response = await fetch(`${url}/metrics`, {signal: AbortSignal.timeout(1000)});
			return response.ok ? await response.text() : '';
		} catch {
			return '';
		}
	};
	await waitFor(`serve on port ${port} to answer /healthz`, async () => !alive() || (await metrics()) !== '', Boolean, 30_000);
	if (!alive()) throw new Error(`serve exited (${child.exitCode}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
	return {
		child,
		url,
		alive,
		stderr: () => stderr,
		kill,
		async metric(name) {
			const values = [...(await metrics()).matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].map(match => Number(match[1]));
			return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0);
		},
	};
}

/** Runs serve in websocket mode to its exit (at most `timeoutMs`): its code and stderr. */
export async function runWebsocketServe(world: FaultWorld, port: number, env: Record<string, string>, timeoutMs = 30_000): Promise<{code: number | null; stderr: string}> {
	const child = spawn(process.execPath, cli(), {env: environment(world, port, env), stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr.on('data', chunk => {
		stderr += String(chunk);
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	const [code] = (await once(child, 'exit')) as [number | null];
	clearTimeout(timer);
	return {code, stderr};
}
