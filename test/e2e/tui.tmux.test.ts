// The compiled CLI in a real terminal of the default size, 80×24: tmux runs
// dist/cli.js against a sandbox started here, keys are sent one per send-keys
// call and also several in one (a paste, fast typing: they reach the TUI in
// one read), and capture-pane shows what an operator would see. CI=false,
// because Ink draws nothing until exit in CI mode (pitfall 6).
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'ava';
import {seedDemo, startSandbox} from '../../source/sandbox/index.js';
import {createWebexClient} from '../../source/webex/client.js';
import {ensureBuilt, hasTmux, tmuxSession} from '../helpers/tmux.js';

const secret = 'tmux-test-secret-0123456789';

const title = 'the compiled TUI at 80×24 lists webhooks, creates them (keys one at a time and in bursts) and deletes one';
const declare = hasTmux ? test.serial : test.skip;

declare(hasTmux ? title : `${title} (skipped: tmux is not installed)`, async t => {
	t.timeout(90_000);
	await ensureBuilt();

	const sandbox = await startSandbox();
	t.teardown(async () => sandbox.close());
	const world = seedDemo(sandbox);
	const client = createWebexClient({baseUrl: sandbox.url, token: world.bot.token, retries: 0});
	for (const name of ['alpha', 'to-delete', 'omega']) {
		await client.webhooks.create({name, targetUrl: 'https://elsewhere.example.com/hook', resource: 'messages', event: 'created', secret});
	}

	const home = await mkdtemp(path.join(tmpdir(), 'globobot-tmux-'));
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	const {screen, waitFor, key, burst, paste, exitCode} = await tmuxSession(t, 'tui', {
		WEBEX_API_URL: sandbox.url,
		WEBEX_TOKEN: world.bot.token,
		WEBHOOK_SECRET: secret,
		GLOBOBOT_HOME: home,
		DATABASE_URL: path.join(home, 'crm.db'),
		PORT: '0',
		HOST: '127.0.0.1',
	});
	const fits = (shown: string) => {
		const lines = shown.replace(/\n+$/, '').split('\n');
		t.true(lines.length <= 24);
		t.deepEqual(lines.filter(line => [...line].length > 80), []);
		// Nothing wrapped: the column headings are on one row, and the footer keeps help and quit.
		t.regex(shown, /NAME\s+KIND\s+FILTER\s+TARGET\s+STATUS\s+SECRET/);
		t.regex(shown, /\? help\s+q quit/);
	};

	let shown = await waitFor(/omega/, 'the webhook list');
	t.regex(shown, /alpha/);
	t.regex(shown, /to-delete/);
	shown = await waitFor(/● webhook http:\/\/127\.0\.0\.1:\d+\/wtwebhook/, 'the embedded listener and its webhook source');
	fits(shown);

	// n, then Enter: a webhook with every default, pointing at this listener.
	await key('n');
	await waitFor(/New webhook/, 'the form');
	await key('Enter');
	shown = await waitFor(/Created “globobot”/, 'the created webhook');
	t.regex(shown, /❯◆\s+globobot/);
	const created = sandbox.webhooks().find(webhook => webhook.name === 'globobot');
	t.like(created, {resource: 'messages', event: 'created', secret});
	t.is(created?.filter, undefined, 'no filter: direct messages arrive too');
	t.regex(created?.targetUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/wtwebhook$/);

	// n, Down, then the default target deleted by Backspaces in one burst and a new one typed in one burst.
	await key('n');
	await waitFor(/New webhook/, 'the form again');
	await key('Down');
	const target = /Target URL\s+(\S+)/.exec(await screen())?.[1] ?? '';
	await burst(...Array.from({length: target.length + 5}, () => 'BSpace'));
	await waitFor(/must be an absolute http\(s\) URL/, 'an emptied target URL');
	await paste('https://bot.example.com/tmux');
	await waitFor(/Target URL\s+https:\/\/bot\.example\.com\/tmux/, 'the typed URL');
	// Down Down Down to the filter, one at a time; then Up Right together: the event above becomes "updated".
	for (const name of ['Down', 'Down', 'Down']) await key(name);
	await waitFor(/❯ Filter/, 'the filter field');
	// A mention filter pasted in is warned about within 80 columns; Backspaces in one burst take it out again.
	await paste('mentionedPeople=me');
	shown = await waitFor(/direct messages will not arrive/, 'the warning about a mention filter');
	t.deepEqual(shown.split('\n').filter(line => [...line].length > 80), []);
	await burst(...Array.from({length: 'mentionedPeople=me'.length}, () => 'BSpace'));
	await waitFor(/^(?![\s\S]*direct messages will not arrive)/, 'the warning gone with the filter');
	await burst('Up', 'Right');
	shown = await waitFor(/❯ Event\s+◂ updated ▸/, 'the event changed, not the filter');
	t.notRegex(shown, /mentionedPeople/);
	await key('Enter');
	await waitFor(/Created “globobot”/, 'the second webhook');
	const burstMade = sandbox.webhooks().find(webhook => webhook.targetUrl === 'https://bot.example.com/tmux');
	t.like(burstMade, {event: 'updated'});
	t.is(burstMade?.filter, undefined);

	// The detail at 80 columns shows the whole id.
	await key('Home');
	await key('Enter');
	shown = await waitFor(/Webhook alpha/, 'the detail view');
	const alpha = sandbox.webhooks().find(webhook => webhook.name === 'alpha');
	t.true(shown.replace(/[│\s]/g, '').includes(alpha?.id ?? 'missing'), 'the id is shown whole');
	await key('Escape');
	await waitFor(/NAME\s+KIND/, 'the list again');

	// Home, Down: "to-delete"; d, y.
	await key('Home');
	await key('Down');
	await waitFor(/❯\s+to-delete/, 'the cursor on to-delete');
	await key('d');
	await waitFor(/Delete webhook “to-delete”/, 'the confirmation');
	await key('y');
	shown = await waitFor(/Deleted “to-delete”/, 'the deletion');
	t.deepEqual(sandbox.webhooks().map(webhook => webhook.name).sort(), ['alpha', 'globobot', 'globobot', 'omega']);
	fits(shown);

	await key('q');
	t.is(await exitCode(), '0', 'q stops the listener and exits 0');
});
