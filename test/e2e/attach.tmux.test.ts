// Attach mode in a real terminal (80×24 under tmux): `serve` runs on a
// database; the compiled TUI started beside it on the same database and port
// finds it by its heartbeat, starts no listener of its own, and shows what
// serve answered, history included, and its health. On another database the
// port is taken, and the TUI says to use --attach or --no-listener.
import {execFile, spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {promisify} from 'node:util';
import test, {type ExecutionContext} from 'ava';
import {sqliteBackend} from '../helpers/databases.js';
import {startServe} from '../helpers/serve.js';
import {ask, registerWebhook, startWorld, waitForBotMessages} from '../server/harness.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist', 'cli.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const declare = hasTmux ? test.serial : test.skip;

async function tmuxSession(t: ExecutionContext, name: string, env: Record<string, string>, args: string[] = []) {
	const socket = `globobot-attach-${process.pid}-${name}`;
	const tmux = async (...tmuxArgs: string[]) => (await run('tmux', ['-L', socket, ...tmuxArgs])).stdout;
	t.teardown(async () => {
		await tmux('kill-server').catch(() => undefined);
	});
	const exitFile = path.join(env['GLOBOBOT_HOME']!, `exit-${name}`);
	const assignments = Object.entries({CI: 'false', TERM: 'xterm-256color', ...env}).map(([key, value]) => `${key}='${value}'`);
	const command = `env -u CONTINUOUS_INTEGRATION ${assignments.join(' ')} '${process.execPath}' '${cli}' ${args.join(' ')}; echo $? > '${exitFile}'; sleep 30`;
	await tmux('new-session', '-d', '-s', 'tui', '-x', '80', '-y', '24', command);
	const screen = async () => tmux('capture-pane', '-p', '-t', 'tui');
	const waitFor = async (pattern: RegExp, what: string, timeoutMs = 20_000) => {
		const deadline = Date.now() + timeoutMs;
		let last = '';
		while (Date.now() < deadline) {
			last = await screen();
			if (pattern.test(last)) return last;
			await sleep(100);
		}
		throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
	};
	const key = async (name: string) => {
		await tmux('send-keys', '-t', 'tui', name);
		await sleep(250);
	};
	const exitCode = async () => {
		const deadline = Date.now() + 15_000;
		while (!existsSync(exitFile) && Date.now() < deadline) await sleep(100);
		return (await readFile(exitFile, 'utf8')).trim();
	};
	return {waitFor, key, exitCode};
}

declare('beside a running serve, the TUI attaches: it shows the deliveries serve answered, its health, and leaves it running', async t => {
	t.timeout(120_000);
	if (!existsSync(cli)) await run(process.execPath, ['scripts/build.mjs'], {cwd: root});
	const world = await startWorld(t, sqliteBackend);
	const serve = await startServe(t, world);
	const {port} = serve;
	await registerWebhook(world, `http://127.0.0.1:${port}/wtwebhook`);
	// Answered before the TUI starts: it must show from the events (history survives restarts).
	await ask(world, 'alice', world.aliceDirect.id, 'acct100');
	await waitForBotMessages(world, 1, 0);

	const tui = await tmuxSession(t, 'attach', serve.env);
	let shown = await tui.waitFor(/Attached to the listener already running/, 'the attach notice');
	shown = await tui.waitFor(/replied +alice@globomantics\.com/, 'the delivery serve answered before');
	t.regex(shown, /serve pid \d+: webhook/);

	await ask(world, 'bob', world.bobDirect.id, 'acct200');
	await waitForBotMessages(world, 2, 0);
	shown = await tui.waitFor(/replied +bob@globomantics\.com/, 'the delivery serve answers now');
	t.notRegex(shown, /EADDRINUSE|did not start/);

	await tui.key('v');
	shown = await tui.waitFor(/listener pid (\d+) on/, 'the health panel');
	t.is(/listener pid (\d+) on/.exec(shown)?.[1], String(serve.child.pid), "serve's own heartbeat");
	t.regex(shown, /Nothing unanswered/);
	await tui.key('Escape');
	await tui.key('q');
	t.is(await tui.exitCode(), '0');
	t.is(serve.child.exitCode, null, 'serve keeps running');
	t.is((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
});

declare('on another database the port is taken: the TUI says to use --attach or --no-listener', async t => {
	t.timeout(90_000);
	if (!existsSync(cli)) await run(process.execPath, ['scripts/build.mjs'], {cwd: root});
	const world = await startWorld(t, sqliteBackend);
	const serve = await startServe(t, world);
	const other = await startWorld(t, sqliteBackend);
	const tui = await tmuxSession(t, 'busy', {...serve.env, DATABASE_URL: other.databaseUrl, GLOBOBOT_HOME: other.home});
	const shown = await tui.waitFor(/--attach/, 'the hint');
	t.regex(shown, new RegExp(`port ${serve.port} is taken \\(serve\\?\\): use --attach or --no-listener`));
	await tui.key('q');
	t.is(await tui.exitCode(), '0');
});

declare('the activity survives a restart: a TUI started later shows what was answered before, read from the events', async t => {
	t.timeout(90_000);
	if (!existsSync(cli)) await run(process.execPath, ['scripts/build.mjs'], {cwd: root});
	const world = await startWorld(t, sqliteBackend);
	const serve = await startServe(t, world);
	const {port} = serve;
	await registerWebhook(world, `http://127.0.0.1:${port}/wtwebhook`);
	await ask(world, 'alice', world.aliceDirect.id, 'acct100');
	await waitForBotMessages(world, 1, 0);
	// serve stops: the TUI starts its own listener on the same database and port.
	serve.child.kill('SIGTERM');
	await new Promise(resolve => serve.child.once('exit', resolve));
	const tui = await tmuxSession(t, 'history', serve.env);
	const shown = await tui.waitFor(/replied +alice@globomantics\.com/, 'the earlier reply in the activity pane');
	t.notRegex(shown, /Attached/);
	t.regex(shown, /● webhook http:\/\/127\.0\.0\.1:\d+\/wtwebhook/);
	await tui.key('q');
	t.is(await tui.exitCode(), '0');
});
