// The compiled CLI in a real terminal: tmux runs dist/cli.js against a sandbox
// started here, keys are sent one per send-keys call (toolchain pitfall 5), and
// capture-pane shows what an operator would see. CI=false, because Ink draws
// nothing until exit in CI mode (pitfall 6).
import {execFile, spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {promisify} from 'node:util';
import test from 'ava';
import {seedDemo, startSandbox} from '../../source/sandbox/index.js';
import {createWebexClient} from '../../source/webex/client.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist', 'cli.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const secret = 'tmux-test-secret-0123456789';

const title = 'the compiled TUI lists webhooks, creates one and deletes one with the keyboard';
const declare = hasTmux ? test.serial : test.skip;

declare(hasTmux ? title : `${title} (skipped: tmux is not installed)`, async t => {
	t.timeout(90_000);
	if (!existsSync(cli)) await run(process.execPath, ['scripts/build.mjs'], {cwd: root});

	const sandbox = await startSandbox();
	t.teardown(async () => sandbox.close());
	const world = seedDemo(sandbox);
	const client = createWebexClient({baseUrl: sandbox.url, token: world.bot.token, retries: 0});
	for (const name of ['alpha', 'to-delete', 'omega']) {
		await client.webhooks.create({name, targetUrl: 'https://elsewhere.example.com/hook', resource: 'messages', event: 'created', secret});
	}

	const home = await mkdtemp(path.join(tmpdir(), 'globobot-tmux-'));
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	const socket = `globobot-e2e-${process.pid}`;
	const tmux = async (...args: string[]) => (await run('tmux', ['-L', socket, ...args])).stdout;
	t.teardown(async () => {
		await tmux('kill-server').catch(() => undefined);
	});

	const environment = {
		CI: 'false',
		TERM: 'xterm-256color',
		WEBEX_API_URL: sandbox.url,
		WEBEX_TOKEN: world.bot.token,
		WEBHOOK_SECRET: secret,
		GLOBOBOT_HOME: home,
		DATABASE_URL: path.join(home, 'crm.db'),
		PORT: '0',
		HOST: '127.0.0.1',
	};
	const assignments = Object.entries(environment).map(([name, value]) => `${name}='${value}'`);
	const exitFile = path.join(home, 'exit');
	const command = `env -u CONTINUOUS_INTEGRATION ${assignments.join(' ')} '${process.execPath}' '${cli}'; echo $? > '${exitFile}'; sleep 30`;
	await tmux('new-session', '-d', '-s', 'tui', '-x', '120', '-y', '40', command);

	const screen = async () => tmux('capture-pane', '-p', '-t', 'tui');
	const waitFor = async (pattern: RegExp, what: string) => {
		const deadline = Date.now() + 20_000;
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

	let shown = await waitFor(/omega/, 'the webhook list');
	t.regex(shown, /alpha/);
	t.regex(shown, /to-delete/);
	await waitFor(/listener http:\/\/127\.0\.0\.1:\d+/, 'the embedded listener');

	// n, then Enter: a webhook with every default, pointing at this listener.
	await key('n');
	await waitFor(/New webhook/, 'the form');
	await key('Enter');
	shown = await waitFor(/Created “globobot”/, 'the created webhook');
	t.regex(shown, /❯◆\s+globobot/);
	const created = sandbox.webhooks().find(webhook => webhook.name === 'globobot');
	t.like(created, {resource: 'messages', event: 'created', filter: 'mentionedPeople=me', secret});
	t.regex(created?.targetUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/wtwebhook$/);

	// Home, Down: "to-delete"; d, y.
	await key('Home');
	await key('Down');
	await waitFor(/❯\s+to-delete/, 'the cursor on to-delete');
	await key('d');
	await waitFor(/Delete webhook “to-delete”/, 'the confirmation');
	await key('y');
	shown = await waitFor(/Deleted “to-delete”/, 'the deletion');
	t.deepEqual(sandbox.webhooks().map(webhook => webhook.name).sort(), ['alpha', 'globobot', 'omega']);

	await key('q');
	const deadline = Date.now() + 15_000;
	while (!existsSync(exitFile) && Date.now() < deadline) await sleep(100);
	t.is((await readFile(exitFile, 'utf8')).trim(), '0', 'q stops the listener and exits 0');
});
