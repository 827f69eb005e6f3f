// Attach mode in a real terminal (80×24 under tmux): `serve` runs on a
// database; the compiled TUI started beside it on the same database and port
// finds it by its heartbeat, starts no listener of its own, and shows what
// serve answered, history included, and its health. On another database the
// port is taken, and the TUI says to use --attach or --no-listener.
import test from 'ava';
import {sqliteBackend} from '../helpers/databases.js';
import {startServe} from '../helpers/serve.js';
import {ensureBuilt, hasTmux, tmuxSession} from '../helpers/tmux.js';
import {ask, registerWebhook, startWorld, waitForBotMessages} from '../server/harness.js';

const declare = hasTmux ? test.serial : test.skip;

declare('beside a running serve, the TUI attaches: it shows the deliveries serve answered, its health, and leaves it running', async t => {
	t.timeout(120_000);
	await ensureBuilt();
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
	await ensureBuilt();
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
	await ensureBuilt();
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
