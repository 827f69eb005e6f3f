// The compiled `globobot-admin serve` as a child process on a world's sandbox
// and database, as an operator runs it: killed at teardown.
import {spawn, type ChildProcess} from 'node:child_process';
import path from 'node:path';
import type {ExecutionContext} from 'ava';
import {listenerEnv, type World} from '../server/harness.js';
import {freePort} from './poll.js';

const cli = path.resolve('dist/cli.js');

export interface RunningServe {
	child: ChildProcess;
	port: number;
	/** Where Webex must deliver: PUBLIC_URL + /wtwebhook. */
	targetUrl: string;
	env: Record<string, string>;
}

export async function startServe(t: Pick<ExecutionContext, 'teardown'>, world: World, overrides: Record<string, string> = {}): Promise<RunningServe> {
	const port = await freePort();
	const env = listenerEnv(world, {PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', GLOBOBOT_WEBHOOK_CHECK: '0', ...overrides});
	const child = spawn(process.execPath, [cli, 'serve'], {env: {PATH: process.env['PATH'] ?? '', ...env}, stdio: ['ignore', 'ignore', 'pipe']});
	t.teardown(() => {
		if (child.exitCode === null) child.kill('SIGKILL');
	});
	let stderr = '';
	await new Promise<void>((resolve, reject) => {
		child.stderr!.on('data', chunk => {
			stderr += String(chunk);
			if (stderr.includes('register this webhook target')) resolve();
		});
		child.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
	});
	return {child, port, targetUrl: `http://127.0.0.1:${port}/wtwebhook`, env};
}
