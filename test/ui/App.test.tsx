import test from 'ava';
import {keys, press, type, waitForText, plain} from '../helpers/ink.js';
import {createWebhooks, knownSecret, ownTarget, renderApp, startSandboxOnly} from './sandboxApp.js';

test('moves through a list that spans several pages: j/k, arrows, PgDn, End, Home', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	await createWebhooks(client, 23);
	const {lastFrame, stdin} = renderApp(t, client, sandbox, {pageSize: 5});

	// Every page arrived: the last webhook is counted and reachable.
	await waitForText(lastFrame, '1/23');
	t.regex(plain(lastFrame()), /❯\s+hook-00/);
	t.regex(plain(lastFrame()), /Globobot|globobot/);

	await press(stdin, 'j');
	await press(stdin, keys.down);
	t.regex(plain(lastFrame()), /❯\s+hook-02/);
	await press(stdin, 'k');
	t.regex(plain(lastFrame()), /❯\s+hook-01/);

	await press(stdin, keys.end);
	let frame = plain(lastFrame());
	t.regex(frame, /❯\s+hook-22/);
	t.regex(frame, /23\/23/);
	t.notRegex(frame, /hook-00/, 'the window scrolled: the first row is no longer drawn');

	await press(stdin, keys.home);
	t.regex(plain(lastFrame()), /❯\s+hook-00/);

	await press(stdin, keys.pageDown);
	frame = plain(lastFrame());
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
	t.true(frame.includes('mentionedPeople=me'));
	// The name field starts as "globobot": make it "globobot-ops".
	await type(stdin, '-ops');
	await press(stdin, keys.enter);

	frame = await waitForText(lastFrame, 'Created “globobot-ops”');
	t.regex(frame, /❯◆\s+globobot-ops\s+messages:created\s+mentionedPeople=me/);
	const [stored] = sandbox.webhooks();
	t.like(stored, {name: 'globobot-ops', targetUrl: ownTarget, resource: 'messages', event: 'created', filter: 'mentionedPeople=me', secret: knownSecret});
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
	t.regex(plain(lastFrame()), /❯\s+hook-01/);
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
