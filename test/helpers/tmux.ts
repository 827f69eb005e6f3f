// The compiled CLI in a real terminal: tmux runs dist/cli.js in a detached
// 80×24 session, keys go in with send-keys (one per call, or several in one
// call: they reach the TUI in one read, as a paste or fast typing does), and
// capture-pane shows what an operator would see. CI=false and
// CONTINUOUS_INTEGRATION unset, because Ink draws nothing until exit in CI
// mode (toolchain pitfall 6).
import {execFile, spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {promisify} from 'node:util';
import type {ExecutionContext} from 'ava';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
export const cli = path.join(root, 'dist', 'cli.js');
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** Builds dist/ when a test runs on its own, before `npm test` has built it. */
export async function ensureBuilt(): Promise<void> {
	if (!existsSync(cli)) await run(process.execPath, ['scripts/build.mjs'], {cwd: root});
}

export interface TmuxSession {
	screen(): Promise<string>;
	/** Polls the screen until it matches; the error shows the last screen. */
	waitFor(pattern: RegExp, what: string, timeoutMs?: number): Promise<string>;
	/** One key per send-keys call. */
	key(name: string): Promise<void>;
	/** Several keys in one send-keys call. */
	burst(...names: string[]): Promise<void>;
	/** Text in one send-keys call (-l: literally). */
	paste(text: string): Promise<void>;
	/** The CLI's exit status, once it has exited. */
	exitCode(): Promise<string>;
}

/** Starts `globobot-admin args…` with `env` in a session of its own (`name` keeps sessions of one test apart); killed at teardown. */
export async function tmuxSession(t: ExecutionContext, name: string, env: Record<string, string>, args: string[] = [], folder = env['GLOBOBOT_HOME']!): Promise<TmuxSession> {
	const socket = `globobot-${name}-${process.pid}`;
	const tmux = async (...tmuxArgs: string[]) => (await run('tmux', ['-L', socket, ...tmuxArgs])).stdout;
	t.teardown(async () => {
		await tmux('kill-server').catch(() => undefined);
	});
	const exitFile = path.join(folder, `exit-${name}`);
	const assignments = Object.entries({CI: 'false', TERM: 'xterm-256color', ...env}).map(([key, value]) => `${key}='${value}'`);
	const command = `env -u CONTINUOUS_INTEGRATION ${assignments.join(' ')} '${process.execPath}' '${cli}' ${args.join(' ')}; echo $? > '${exitFile}'; sleep 30`;
	await tmux('new-session', '-d', '-s', 'tui', '-x', '80', '-y', '24', command);
	const screen = async () => tmux('capture-pane', '-p', '-t', 'tui');
	const send = async (...keys: string[]) => {
		await tmux('send-keys', '-t', 'tui', ...keys);
		await sleep(250);
	};
	return {
		screen,
		async waitFor(pattern, what, timeoutMs = 20_000) {
			const deadline = Date.now() + timeoutMs;
			let last = '';
			while (Date.now() < deadline) {
				last = await screen();
				if (pattern.test(last)) return last;
				await sleep(100);
			}
			throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
		},
		key: async name => send(name),
		burst: async (...names) => send(...names),
		paste: async text => send('-l', text),
		async exitCode() {
			const deadline = Date.now() + 15_000;
			while (!existsSync(exitFile) && Date.now() < deadline) await sleep(100);
			return (await readFile(exitFile, 'utf8')).trim();
		},
	};
}
