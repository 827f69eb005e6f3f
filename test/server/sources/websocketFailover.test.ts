// Replicas in separate processes: the holder of the websocket is SIGKILLed
// (no cleanup, no lease release, its TCP connections reset by the kernel) and
// the standby takes over within 10 s; every question is accepted once.
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'ava';
import {postgresAvailable, postgresBackend} from '../../helpers/databases.js';
import {waitFor} from '../../helpers/poll.js';
import {mention, startWorld} from '../../sandbox/helpers.js';
import {replica} from './websocketHarness.js';

const childScript = path.resolve('test/server/sources/websocketChild.ts');

(postgresAvailable ? test : test.skip)('postgres: SIGKILL of the holder in another process; the standby takes over within 10 s and nothing is lost or doubled', async t => {
	t.timeout(60_000);
	const world = await startWorld(t);
	const url = await postgresBackend.url(t);
	const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
		env: {
			PATH: process.env['PATH'] ?? '',
			// Nothing is written there: the database is PostgreSQL.
			GLOBOBOT_HOME: path.join(tmpdir(), 'globobot-websocket-child'),
			WEBEX_TOKEN: world.bot.token,
			WEBEX_API_URL: world.sandbox.url,
			WEBEX_CATALOG_URL: world.sandbox.websocket.catalogUrl,
			DATABASE_URL: url,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	t.teardown(() => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	});
	let stdout = '';
	child.stdout.on('data', chunk => (stdout += String(chunk)));
	const childAccepted = () => [...stdout.matchAll(/ACCEPTED (\S+) received/g)].map(match => match[1]!);
	await waitFor('the child to lead', () => stdout, text => text.includes('READY live'), 30_000);

	const standby = await replica(t, world, url, {holder: 'standby'});
	await standby.start();
	t.regex(standby.source.status().summary, /standby/);
	t.is(world.sandbox.websocket.connections(), 1);
	const first = await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'acct100')});
	await waitFor('the child to accept it', childAccepted, ids => ids.includes(first.id));

	const exited = once(child, 'exit');
	child.kill('SIGKILL');
	await exited;
	const died = Date.now();
	const meanwhile = await world.sandbox.sendMessage(world.bob.token, {roomId: world.bobDirect.id, text: 'acct200'});
	await waitFor('the takeover', () => standby.source.status().live, live => live, 10_000);
	const tookMs = Date.now() - died;
	t.log(`took over ${tookMs} ms after SIGKILL`);
	t.true(tookMs < 10_000);
	await waitFor('the question asked meanwhile', () => standby.received(), ids => ids.includes(meanwhile.id));
	const all = [...childAccepted(), ...standby.received()];
	t.deepEqual([...all].sort(), [first.id, meanwhile.id].sort(), 'each question accepted exactly once');
	t.is(world.sandbox.websocket.connections(), 1);
});
