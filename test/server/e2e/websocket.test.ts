// Issue 18 through the compiled `globobot-admin serve --events websocket`
// against the sandbox, over real sockets: no public URL, no webhook, no
// webhook secret. Questions are answered once; a socket dropped mid-burst
// loses nothing and doubles nothing; two replicas on one PostgreSQL database
// answer once each, the standby taking over within 10 s of the holder's
// SIGKILL; a token Webex refuses is exit 2 with one line.
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import type {SandboxMessage} from '../../../source/sandbox/index.js';
import {runCli} from '../../helpers/cli.js';
import {postgresAvailable, postgresUrl} from '../../helpers/databases.js';
import {askMany, freePort, repliesPerQuestion, startFaultWorld, waitFor, type FaultWorld} from '../../faults/helpers.js';
import {runWebsocketServe, startWebsocketServe} from './serve.js';

/** Waits until each question has a reply, then a little longer so a second one would show; returns the replies per question. */
async function answered(world: FaultWorld, asked: readonly SandboxMessage[], timeoutMs = 30_000): Promise<number[]> {
	await waitFor('a reply to every question', () => repliesPerQuestion(world), replies => asked.every(question => replies.has(question.id)), timeoutMs).catch(() => undefined);
	await sleep(2000);
	await world.sandbox.idle();
	const replies = repliesPerQuestion(world);
	return asked.map(question => replies.get(question.id) ?? 0);
}

const once = (counts: number[]) => counts.every(count => count === 1);

test('a question is answered once, with no webhook, no WEBHOOK_SECRET and no PUBLIC_URL', async t => {
	t.timeout(60_000);
	const world = await startFaultWorld(t);
	const serve = await startWebsocketServe(t, world, await freePort());
	await waitFor('the socket', () => serve.metric('globobot_websocket_connected'), value => value === 1);
	const question = await world.sandbox.sendMessage(world.alice.token, {roomId: world.direct.id, text: 'what is the balance for acct7?'});
	t.deepEqual(await answered(world, [question]), [1]);
	const [reply] = world.sandbox.messages({personId: world.bot.person.id});
	t.is(reply?.text, 'balance for ACCT7: 99.94 USD');
	t.deepEqual(world.sandbox.webhooks(), [], 'no webhook registered');
	t.deepEqual(world.sandbox.deliveries(), [], 'nothing came by webhook');
	t.is((await fetch(`${serve.url}/healthz`)).status, 200);
	// Audited as a websocket delivery.
	const listed = await runCli(['audit', 'list', '--json'], {DATABASE_URL: world.databaseUrl, GLOBOBOT_HOME: world.home});
	t.like(JSON.parse(listed.stdout), [{eventId: question.id, source: 'websocket', reply: 'balances', deliveredTo: 'direct', accounts: [{id: 'ACCT7', outcome: 'shown'}]}]);
	t.true(serve.alive(), serve.stderr());
});

test('sockets dropped mid-burst: every question is answered, none twice', async t => {
	t.timeout(90_000);
	const world = await startFaultWorld(t);
	const serve = await startWebsocketServe(t, world, await freePort());
	await waitFor('the socket', () => serve.metric('globobot_websocket_connected'), value => value === 1);
	const burst = askMany(world, 40, 10);
	// Once a second, three times, while questions keep coming: a network failure, no close frame.
	for (let drop = 0; drop < 3; drop++) {
		await sleep(1000);
		world.sandbox.websocket.dropSockets();
	}
	const asked = await burst;
	const counts = await answered(world, asked, 60_000);
	t.log(`${counts.filter(count => count === 1).length}/${asked.length} answered once; reconnects ${await serve.metric('globobot_websocket_reconnects_total')}`);
	t.is(counts.filter(count => count === 0).length, 0, 'questions without a reply');
	t.is(counts.filter(count => count > 1).length, 0, 'questions answered more than once');
	t.true((await serve.metric('globobot_websocket_reconnects_total')) >= 1);
	t.true(serve.alive(), serve.stderr());
});

(postgresAvailable ? test : test.skip)('two serve replicas on one PostgreSQL database: each question answered once; SIGKILL of the holder, the standby takes over within 10 s', async t => {
	t.timeout(120_000);
	const world = await startFaultWorld(t, {databaseUrl: await postgresUrl(t)});
	const first = await startWebsocketServe(t, world, await freePort());
	await waitFor('the first replica to hold the socket', () => first.metric('globobot_websocket_leader'), value => value === 1, 20_000);
	const second = await startWebsocketServe(t, world, await freePort());
	await sleep(1000);
	t.is(await second.metric('globobot_websocket_leader'), 0, 'the second is a standby');
	t.is(world.sandbox.websocket.connections(), 1, 'one socket between them');

	const before = await askMany(world, 10, 10);
	t.true(once(await answered(world, before)), 'answered once each before the kill');

	await first.kill();
	const killedAt = Date.now();
	const meanwhile = askMany(world, 10, 5);
	await waitFor('the standby to take over', () => second.metric('globobot_websocket_connected'), value => value === 1, 15_000);
	const tookMs = Date.now() - killedAt;
	t.log(`took over ${tookMs} ms after SIGKILL`);
	t.true(tookMs < 10_000, `took over after ${tookMs} ms`);
	const after = await meanwhile;
	const counts = await answered(world, [...before, ...after], 60_000);
	t.is(counts.filter(count => count === 0).length, 0, 'questions without a reply');
	t.is(counts.filter(count => count > 1).length, 0, 'questions answered more than once');
	t.true(second.alive(), second.stderr());
});

test('a token Webex refuses: exit code 2 and one line on stderr, without the token', async t => {
	const world = await startFaultWorld(t);
	const {code, stderr} = await runWebsocketServe(world, await freePort(), {WEBEX_TOKEN: 'revoked-token-value'});
	t.is(code, 2);
	const lines = stderr.trim().split('\n');
	t.is(lines.length, 1, stderr);
	t.regex(lines[0]!, /WEBEX_TOKEN/);
	t.false(stderr.includes('revoked-token-value'));
});

test('a token REST accepts but the device service refuses (401): exit code 2 and one line on stderr', async t => {
	const world = await startFaultWorld(t);
	world.sandbox.faults.add({path: /^\/(u2c|wdm)\//, status: 401});
	const {code, stderr} = await runWebsocketServe(world, await freePort(), {});
	t.is(code, 2);
	const lines = stderr.trim().split('\n');
	t.is(lines.length, 1, stderr);
	t.regex(lines[0]!, /WEBEX_TOKEN/);
	t.false(stderr.includes(world.bot.token));
});

test('a stale device (Webex forgot it) is registered again by the running serve, and questions keep being answered once', async t => {
	t.timeout(60_000);
	const world = await startFaultWorld(t);
	const serve = await startWebsocketServe(t, world, await freePort());
	await waitFor('the socket', () => serve.metric('globobot_websocket_connected'), value => value === 1);
	const [before] = world.sandbox.websocket.devices();
	// In the direct room replies are told apart by the account they name: this one is not among askMany's first.
	const first = await world.sandbox.sendMessage(world.alice.token, {roomId: world.direct.id, text: 'acct1999'});
	t.deepEqual(await answered(world, [first]), [1]);
	world.sandbox.websocket.expireDevices();
	const after = await askMany(world, 3, 2, 'direct');
	await waitFor('a new device', () => world.sandbox.websocket.devices(), devices => devices.some(device => device.connected && device.id !== before?.id), 20_000);
	t.deepEqual(await answered(world, after, 30_000), [1, 1, 1]);
	t.is(world.sandbox.websocket.devices().filter(device => device.name === 'globobot').length, 1, 'one device by that name');
	t.true(serve.alive(), serve.stderr());
});

test('questions asked while serve was SIGKILLed are answered once after it starts again', async t => {
	t.timeout(90_000);
	const world = await startFaultWorld(t);
	const port = await freePort();
	const serve = await startWebsocketServe(t, world, port);
	await waitFor('the socket', () => serve.metric('globobot_websocket_connected'), value => value === 1);
	const before = await askMany(world, 3, 5);
	t.deepEqual(await answered(world, before), [1, 1, 1]);
	await serve.kill();
	// Frames for these wait, unacknowledged, for the device's next connection (told apart by thread, though they ask for the same accounts).
	const meanwhile = await askMany(world, 8, 10);
	const again = await startWebsocketServe(t, world, port);
	const counts = await answered(world, [...before, ...meanwhile], 30_000);
	t.deepEqual(counts, [...before, ...meanwhile].map(() => 1));
	t.true(again.alive(), again.stderr());
});
