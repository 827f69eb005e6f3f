import test from 'ava';
import {render} from 'ink-testing-library';
import {startDemoSession} from '../../source/commands/tui.js';
import {loadConfig} from '../../source/config.js';
import {App} from '../../source/ui/App.js';
import {keys, press, type, waitForFrame, waitForText, plain} from '../helpers/ink.js';
import {createWebhooks, knownSecret, overlong, ownTarget, renderApp, resize, startSandboxOnly} from './sandboxApp.js';

test('moves through a list that spans several pages: j/k, arrows, PgDn, End, Home', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	await createWebhooks(client, 23);
	const {lastFrame, stdin} = renderApp(t, client, sandbox, {pageSize: 5});

	// Every page arrived: the last webhook is counted and reachable.
	await waitForText(lastFrame, '1/23');
	t.regex(plain(lastFrame()), /❯\s+hook-00/);
	t.regex(plain(lastFrame()), /Globobot|globobot/);

	// Each key is read back from the frame it leads to: on a loaded machine a frame can lag the key by more than a settle.
	await press(stdin, 'j');
	await press(stdin, keys.down);
	t.regex(await waitForText(lastFrame, /❯\s+hook-02/), /❯\s+hook-02/);
	await press(stdin, 'k');
	t.regex(await waitForText(lastFrame, /❯\s+hook-01/), /❯\s+hook-01/);

	await press(stdin, keys.end);
	let frame = await waitForText(lastFrame, /❯\s+hook-22/);
	t.regex(frame, /❯\s+hook-22/);
	t.regex(frame, /23\/23/);
	t.notRegex(frame, /hook-00/, 'the window scrolled: the first row is no longer drawn');

	await press(stdin, keys.home);
	t.regex(await waitForText(lastFrame, /❯\s+hook-00/), /❯\s+hook-00/);

	await press(stdin, keys.pageDown);
	frame = await waitForFrame(lastFrame, shown => !/❯\s+hook-00/.test(shown));
	t.notRegex(frame, /❯\s+hook-00/);
	t.regex(frame, /❯\s+hook-\d\d/);

	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, 'Webhook hook-');
	t.regex(frame, /secret\s+•+ \(set, hidden\)/);
	t.false(frame.includes(knownSecret), 'the secret itself is never drawn');
	await press(stdin, keys.escape);
	await waitForText(lastFrame, 'RESOURCE:EVENT');
});

test('creates a webhook through the form: defaults for target, filter and secret, a typed name', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	const {lastFrame, stdin} = renderApp(t, client, sandbox);
	await waitForText(lastFrame, 'No webhooks yet');

	await press(stdin, 'n');
	let frame = await waitForText(lastFrame, 'New webhook');
	t.true(frame.includes(ownTarget), 'the target defaults to this listener');
	t.false(frame.includes('mentionedPeople'), 'no filter by default: direct messages must arrive');
	// The name field starts as "globobot": make it "globobot-ops".
	await type(stdin, '-ops');
	// A mention filter typed into the filter field is warned about, and goes again.
	for (let field = 0; field < 4; field++) await press(stdin, keys.down);
	await waitForText(lastFrame, /❯ Filter/);
	await type(stdin, 'mentionedPeople=me');
	await waitForText(lastFrame, 'direct messages will not arrive; a bot needs no mention filter');
	stdin.write(keys.backspace.repeat('mentionedPeople=me'.length));
	await waitForFrame(lastFrame, shown => !shown.includes('direct messages will not arrive'));
	await press(stdin, keys.enter);

	frame = await waitForText(lastFrame, 'Created “globobot-ops”');
	t.regex(frame, /❯◆\s+globobot-ops\s+messages:created\s+—/);
	const [stored] = sandbox.webhooks();
	t.like(stored, {name: 'globobot-ops', targetUrl: ownTarget, resource: 'messages', event: 'created', secret: knownSecret});
	t.is(stored?.filter, undefined);
});

test('the form explains a bad target URL next to the field and warns about http://', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	const {lastFrame, stdin} = renderApp(t, client, sandbox);
	await waitForText(lastFrame, 'No webhooks yet');
	await press(stdin, 'n');
	await waitForText(lastFrame, 'New webhook');
	let frame = plain(lastFrame());
	t.true(frame.includes('Webex expects HTTPS'), 'the default http:// target is warned about');

	await press(stdin, keys.down);
	for (let index = 0; index < ownTarget.length; index++) await press(stdin, keys.backspace);
	await type(stdin, 'bot.example.com');
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, 'must be an absolute http(s) URL');
	t.true(frame.includes('New webhook'), 'the form stays open');
	t.is(sandbox.webhooks().length, 0);

	await press(stdin, keys.escape);
	await waitForText(lastFrame, 'No webhooks yet');
});

test('delete asks first: any other key cancels, y deletes', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	await createWebhooks(client, 2);
	const {lastFrame, stdin} = renderApp(t, client, sandbox);
	await waitForText(lastFrame, '1/2');

	await press(stdin, 'd');
	await waitForText(lastFrame, 'Delete webhook “hook-00”');
	await press(stdin, 'x');
	let frame = await waitForText(lastFrame, '1/2');
	t.false(frame.includes('Delete webhook'));
	t.is(sandbox.webhooks().length, 2);

	await press(stdin, 'd');
	await waitForText(lastFrame, 'Delete webhook “hook-00”');
	await press(stdin, 'y');
	frame = await waitForText(lastFrame, 'Deleted “hook-00”');
	t.regex(frame, /❯\s+hook-01/);
	t.deepEqual(
		sandbox.webhooks().map(webhook => webhook.name),
		['hook-01'],
	);
});

test('reactivates a webhook that Webex disabled after failed deliveries', async t => {
	const {sandbox, world, client} = await startSandboxOnly(t, {autoDisableThreshold: 1});
	// A target nobody listens on: the first delivery fails and disables the webhook.
	await client.webhooks.create({name: 'broken', targetUrl: 'http://127.0.0.1:9/wtwebhook', resource: 'messages', event: 'created', secret: knownSecret});
	await sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'hello'});
	await sandbox.idle();
	t.is(sandbox.webhooks()[0]?.status, 'inactive');

	const {lastFrame, stdin} = renderApp(t, client, sandbox);
	let frame = await waitForText(lastFrame, 'is inactive');
	t.regex(frame, /broken.*inactive/);

	await press(stdin, 'a');
	frame = await waitForText(lastFrame, '“broken” is active again');
	t.regex(frame, /broken.*active/);
	t.is(sandbox.webhooks()[0]?.status, 'active');
});

test('an API failure is shown in place with Webex’s message and trackingId, and the screen stays usable', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	await createWebhooks(client, 2);
	const {lastFrame, stdin} = renderApp(t, client, sandbox);
	await waitForText(lastFrame, '1/2');

	sandbox.faults.add({method: 'DELETE', path: /^\/webhooks\//, status: 503, times: 1});
	await press(stdin, 'd');
	await press(stdin, 'y');
	let frame = await waitForText(lastFrame, 'Service unavailable');
	t.regex(frame, /Webex refused \(503\)/);
	t.regex(frame, /trackingId \S+/);
	t.is(sandbox.webhooks().length, 2);

	// Still usable: the next key works and the retry succeeds.
	await press(stdin, 'j');
	await waitForText(lastFrame, /❯\s+hook-01/);
	await press(stdin, 'd');
	await press(stdin, 'y');
	frame = await waitForText(lastFrame, 'Deleted “hook-01”');
	t.false(frame.includes('Service unavailable'));
});

test('a rejected token shows how to set WEBEX_TOKEN and how to try the sandbox', async t => {
	const {sandbox} = await startSandboxOnly(t);
	const {createWebexClient} = await import('../../source/webex/client.js');
	const client = createWebexClient({baseUrl: sandbox.url, token: 'not-a-token', retries: 0});
	const {lastFrame} = renderApp(t, client, sandbox);
	const frame = await waitForText(lastFrame, 'rejected the bot token');
	t.true(frame.includes('WEBEX_TOKEN'));
	t.true(frame.includes('--sandbox'));
});

test('edits a webhook: a new name and target are saved, an empty secret keeps the current one', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	await createWebhooks(client, 1);
	const {lastFrame, stdin} = renderApp(t, client, sandbox);
	await waitForText(lastFrame, '1/1');

	await press(stdin, 'e');
	await waitForText(lastFrame, 'Edit webhook hook-00');
	await type(stdin, '-renamed');
	await press(stdin, keys.down);
	for (let index = 0; index < 'hook'.length; index++) await press(stdin, keys.backspace);
	await type(stdin, 'moved');
	await press(stdin, keys.enter);

	const frame = await waitForText(lastFrame, 'Saved “hook-00-renamed”');
	t.regex(frame, /Webhook hook-00-renamed/, 'back on the detail view');
	t.like(sandbox.webhooks()[0], {name: 'hook-00-renamed', targetUrl: 'https://elsewhere.example.com/moved', secret: knownSecret});
});

test('the chat slot gets the keyboard with c and gives it back with Esc', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	const {useInput, Text} = await import('ink');
	function FakeChat({focused, onLeave}: {focused: boolean; height: number; onLeave(): void}) {
		useInput(
			(_input, key) => {
				if (key.escape) onLeave();
			},
			{isActive: focused},
		);
		return <Text>{focused ? 'chat has focus' : 'chat idle'}</Text>;
	}
	const {lastFrame, stdin} = renderApp(t, client, sandbox, {chat: FakeChat});
	await waitForText(lastFrame, 'chat idle');
	t.regex(plain(lastFrame()), /c chat/);

	await press(stdin, 'c');
	await waitForText(lastFrame, 'chat has focus');
	// Keys typed into the chat are not the App's: q does not quit, n opens nothing.
	await press(stdin, 'q');
	await press(stdin, 'n');
	t.false(plain(lastFrame()).includes('New webhook'));
	await press(stdin, keys.escape);
	await waitForText(lastFrame, 'chat idle');
	await press(stdin, 'n');
	await waitForText(lastFrame, 'New webhook');
});

test('with no secret configured, creating a webhook generates a strong one and stores it owner-only for the listener', async t => {
	const {mkdtemp, readFile, rm, stat} = await import('node:fs/promises');
	const {tmpdir} = await import('node:os');
	const path = await import('node:path');
	const {ensureWebhookSecret} = await import('../../source/secretStore.js');
	const parent = await mkdtemp(path.join(tmpdir(), 'globobot-ui-'));
	t.teardown(async () => rm(parent, {recursive: true, force: true}));
	const home = path.join(parent, 'home');
	const secretFile = path.join(home, 'webhook-secret');

	const {sandbox, client} = await startSandboxOnly(t);
	const {lastFrame, stdin} = renderApp(t, client, sandbox, {
		secrets: [],
		createSecret: async () => ensureWebhookSecret({webhookSecrets: [], secretFile}).secret,
	});
	await waitForText(lastFrame, 'No webhooks yet');
	await press(stdin, 'n');
	const form = await waitForText(lastFrame, 'New webhook');
	t.true(form.includes('a strong one is generated and saved'));
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'Created “globobot”');

	const stored = (await readFile(secretFile, 'utf8')).trim();
	t.true(stored.length >= 32);
	t.is(sandbox.webhooks()[0]?.secret, stored);
	t.is((await stat(secretFile)).mode & 0o777, 0o600);
	t.is((await stat(home)).mode & 0o777, 0o700);
	t.false(plain(lastFrame()).includes(stored), 'the generated secret is never drawn');
});

// A chat slot that only says whether it has the keyboard: the footer then offers `c`.
async function fakeChat() {
	const {Text} = await import('ink');
	return function FakeChat({focused}: {focused: boolean; height: number; onLeave(): void}) {
		return <Text>{focused ? 'chat has focus' : 'chat idle'}</Text>;
	};
}

/** The screen fits: no line wider than the terminal, no more lines than it has, and the footer's keys. */
function assertFits(t: import('ava').ExecutionContext, frame: string, columns: number, rows: number, where: string) {
	t.deepEqual(overlong(frame, columns), [], `${where}: a line is wider than ${columns} columns`);
	const lines = frame.split('\n');
	t.true(lines.length <= rows, `${where}: ${lines.length} lines on a ${rows}-row terminal`);
	return lines.at(-1) ?? '';
}

for (const [columns, rows] of [
	[80, 24],
	[60, 20],
] as const) {
	test(`at ${columns}×${rows} every screen fits without wrapping, the footer keeps c, ? and q, and the detail shows the whole id`, async t => {
		const {sandbox, client} = await startSandboxOnly(t);
		await createWebhooks(client, 3, 'https://a-rather-long-host-name.example.com/with/a/long/path/wtwebhook');
		const ui = renderApp(t, client, sandbox, {chat: await fakeChat(), notice: 'This is the sandbox, a local Webex. For a real bot set WEBEX_TOKEN and PUBLIC_URL, then run globobot-admin again.'});
		resize(ui, columns, rows);
		const {lastFrame, stdin} = ui;
		let frame = await waitForText(lastFrame, '1/3');
		t.regex(frame, /NAME/);
		const footer = assertFits(t, frame, columns, rows, 'list');
		for (const key of [/\bc chat\b/, /\? help\b/, /\bq quit\b/]) t.regex(footer, key);

		await press(stdin, keys.enter);
		frame = await waitForText(lastFrame, 'Webhook hook-00');
		assertFits(t, frame, columns, rows, 'detail');
		const [stored] = sandbox.webhooks();
		const unboxed = frame.replace(/[│\s]/g, '');
		t.true(unboxed.includes(stored!.id), 'the id is shown whole, wrapped if need be');
		t.regex(frame.split('\n').at(-1) ?? '', /Esc back.*q quit/);

		await press(stdin, 'e');
		frame = await waitForText(lastFrame, 'Edit webhook hook-00');
		t.regex(assertFits(t, frame, columns, rows, 'edit'), /Enter save\s+Esc cancel/);
		await press(stdin, keys.escape);
		await press(stdin, keys.escape);
		await press(stdin, 'n');
		frame = await waitForText(lastFrame, 'New webhook');
		assertFits(t, frame, columns, rows, 'create');
		await press(stdin, keys.escape);
		await press(stdin, '?');
		frame = await waitForText(lastFrame, 'Keys');
		assertFits(t, frame, columns, rows, 'help');
		await press(stdin, 'x');
		await press(stdin, 'd');
		frame = await waitForText(lastFrame, 'Delete webhook “hook-00”');
		assertFits(t, frame, columns, rows, 'confirm');
	});
}

test('a resize re-lays the screen: from 120×40 to 60×20 the columns narrow and the footer keeps its essential keys', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	await createWebhooks(client, 2);
	const ui = renderApp(t, client, sandbox, {chat: await fakeChat()});
	resize(ui, 120, 40);
	let frame = await waitForText(ui.lastFrame, '1/2');
	t.regex(frame, /RESOURCE:EVENT/);
	t.regex(frame, /Tab activity/);
	resize(ui, 60, 20);
	frame = await waitForFrame(ui.lastFrame, shown => !shown.includes('RESOURCE:EVENT'));
	t.deepEqual(overlong(frame, 60), []);
	t.regex(frame, /msg:created/);
	t.regex(frame.split('\n').at(-1) ?? '', /c chat.*\? help.*q quit/);
});

test('keys in one burst act like the same keys one at a time: 40 Backspaces delete 40 characters, “Up Right” chooses on the field above', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	const {lastFrame, stdin} = renderApp(t, client, sandbox);
	await waitForText(lastFrame, 'No webhooks yet');
	await press(stdin, 'n');
	await waitForText(lastFrame, 'New webhook');
	await press(stdin, keys.down);
	// The default target, deleted in one read of the terminal, then a new one pasted.
	stdin.write(keys.backspace.repeat(ownTarget.length + 5));
	// Emptied: the field says what it needs (an invisible 72-character URL would not).
	await waitForText(lastFrame, 'must be an absolute http(s) URL');
	stdin.write('https://bot.example.com/wtwebhook');
	await waitForText(lastFrame, 'https://bot.example.com/wtwebhook');
	// To the filter field, then Up and Right in one chunk: the event (above the filter) becomes the next choice.
	stdin.write(keys.down + keys.down + keys.down);
	await waitForText(lastFrame, /❯ Filter/);
	stdin.write(keys.up + keys.right);
	await waitForText(lastFrame, /❯ Event\s+◂ updated ▸/);
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'Created “globobot”');
	t.like(sandbox.webhooks()[0], {targetUrl: 'https://bot.example.com/wtwebhook', event: 'updated'});
	t.is(sandbox.webhooks()[0]?.filter, undefined, 'the filter was not edited');
	t.false(/[\u0000-\u001F\u007F]/.test(sandbox.webhooks()[0]!.targetUrl), 'no DEL was typed into the URL');

	// In the list, "jj" in one chunk moves twice.
	await createWebhooks(client, 3);
	await press(stdin, 'r');
	await waitForText(lastFrame, '1/4');
	stdin.write('jj');
	await waitForText(lastFrame, '3/4');
	t.pass();
});

test('webhook names from Webex are drawn with visible escapes: an OSC 52 clipboard write or a carriage return never reaches the terminal', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	const hostile = 'x\u001B]52;c;cm0gLXJmIH4=\u0007';
	await client.webhooks.create({name: hostile, targetUrl: 'https://elsewhere.example.com/hook', resource: 'messages', event: 'created', secret: knownSecret});
	await client.webhooks.create({name: 'over\rwrite\u001B[31mred', targetUrl: 'https://elsewhere.example.com/hook', resource: 'messages', event: 'created', secret: knownSecret});
	const ui = renderApp(t, client, sandbox);
	resize(ui, 80, 24);
	const {lastFrame, stdin} = ui;
	const check = (raw: string | undefined, where: string) => {
		const frame = raw ?? '';
		t.false(frame.includes('\u001B]52'), `${where}: no OSC 52`);
		t.false(frame.includes('\r'), `${where}: no carriage return`);
		t.false(frame.includes('\u001B[31mred'), `${where}: no colour from a name`);
		t.deepEqual(overlong(plain(frame), 80), [], `${where}: the box is not broken`);
	};
	let frame = await waitForText(lastFrame, '1/2');
	t.true(frame.includes(String.raw`x\x1b]52;`), 'the escape is visible (the name column cuts the rest)');
	t.true(frame.includes(String.raw`over\x0d`));
	check(lastFrame(), 'list');
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, String.raw`Webhook x\x1b]52;c;cm0gLXJmIH4=\x07`);
	check(lastFrame(), 'detail');
	await press(stdin, 'd');
	await waitForText(lastFrame, 'Delete webhook');
	check(lastFrame(), 'confirm');
	await press(stdin, 'n');
	await press(stdin, 'e');
	await waitForText(lastFrame, 'Edit webhook');
	check(lastFrame(), 'edit');
});

test('with color false (NO_COLOR) the whole App draws no colour escape', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	await createWebhooks(client, 1);
	const {lastFrame} = renderApp(t, client, sandbox, {color: false});
	await waitForText(lastFrame, '1/1');
	t.notRegex(lastFrame() ?? '', /\u001B\[(?:\d+;)*(?:3\d|4\d|9[0-7]|10[0-7])(?:;\d+)*m/);
});

test('Webex unreachable at start-up is said, counted down and retried, never “No webhooks yet”', async t => {
	const {sandbox} = await startSandboxOnly(t);
	const {freePort} = await import('../helpers/poll.js');
	const {createWebexClient} = await import('../../source/webex/client.js');
	const nobody = `http://127.0.0.1:${await freePort()}/v1`;
	const client = createWebexClient({baseUrl: nobody, token: 'x', retries: 0, timeoutMs: 2000});
	const {lastFrame} = renderApp(t, client, sandbox);
	let frame = await waitForText(lastFrame, /Webex unreachable \(ECONNREFUSED\) — retrying in \d+s \(attempt \d+\)/);
	t.false(frame.includes('No webhooks yet'));
	t.false(frame.includes('Webex refused'), 'a refused connection is not called a refusal');
	const attempt = Number(/attempt (\d+)/.exec(frame)?.[1]);
	frame = await waitForText(lastFrame, new RegExp(`attempt ${attempt + 1}\\)`), 20_000);
	t.regex(frame, /bot unknown \(Webex not answering\)/);
});

test('a Webex outage at start-up ends by itself: the list appears once Webex answers again', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	await createWebhooks(client, 2);
	// Two failures: the notice stands for 1 s + 2 s, long enough to be seen on a busy machine.
	sandbox.faults.add({method: 'GET', path: /^\/webhooks/, status: 503, times: 2});
	const {lastFrame} = renderApp(t, client, sandbox);
	const frame = await waitForText(lastFrame, /Webex unavailable \(503 .*\) — retrying in \d+s/);
	t.false(frame.includes('No webhooks yet'));
	await waitForText(lastFrame, '1/2', 20_000);
});

test('in websocket mode the list says the listener needs no webhook, and names no target of its own', async t => {
	const session = await startDemoSession(loadConfig({events: 'websocket'}, {}), {withListener: true});
	t.teardown(async () => session.close());
	const {lastFrame, unmount} = render(
		<App client={session.client} api={session.api} listener={session.listener} targetUrl={session.targetUrl} database={session.database} secrets={session.secrets} notice={session.notice} />,
	);
	t.teardown(unmount);
	const frame = plain(await waitForText(lastFrame, 'websocket connected'));
	await waitForText(lastFrame, 'events come over the websocket: no webhook needed');
	t.false(plain(lastFrame()).includes('targets this listener'));
	t.false(plain(lastFrame()).includes('/wtwebhook'));
	t.false(frame.includes('PUBLIC_URL'), 'the notice asks only for what websocket mode needs');
});
