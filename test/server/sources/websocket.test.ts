// The websocket event source over real sockets against the sandbox, with a
// real inbox: questions accepted once and acknowledged after; a dropped
// socket, a stale device and a restart lose nothing and accept nothing
// twice; replicas share the socket through the leader lease; a bad token is
// a one-line configuration error.
import test from 'ava';
import {ConfigError} from '../../../source/configError.js';
import {backends, sqliteBackend} from '../../helpers/databases.js';
import {waitFor} from '../../helpers/poll.js';
import {mention, startWorld, type World} from '../../sandbox/helpers.js';
import {replica, type Replica} from './websocketHarness.js';

const ask = (world: World, text = 'what is the balance for acct100?') => world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, text)});
const unacknowledged = (world: World) => world.sandbox.websocket.devices().reduce((sum, device) => sum + device.unacknowledged, 0);
const settled = (world: World, what: string) => waitFor(what, () => unacknowledged(world), n => n === 0);

test('a question reaches accept once, as a websocket delivery in REST ids, and is acknowledged after', async t => {
	const world = await startWorld(t);
	const bot = await replica(t, world, await sqliteBackend.url(t));
	await bot.start();
	t.is(bot.source.status().summary, 'websocket connected');
	t.true(bot.source.status().live);
	const question = await ask(world);
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, text: 'chatter the bot never sees'});
	const direct = await world.sandbox.sendMessage(world.bob.token, {roomId: world.bobDirect.id, text: 'acct200'});
	// The bot's own reply comes over the socket too, and is not a question.
	await world.sandbox.sendMessage(world.bot.token, {roomId: world.opsRoom.id, text: 'a reply'});
	await waitFor('two questions', () => bot.received(), ids => ids.length === 2);
	await settled(world, 'every frame acknowledged');
	t.deepEqual(bot.received().sort(), [question.id, direct.id].sort());
	t.like(bot.accepted.find(entry => entry.delivery.messageId === question.id)!.delivery, {
		roomId: world.opsRoom.id,
		roomType: 'group',
		personId: world.alice.person.id,
		personEmail: 'alice@globomantics.com',
		source: 'websocket',
	});
	t.is(bot.accepted.find(entry => entry.delivery.messageId === direct.id)!.delivery.roomType, 'direct');
	t.is(bot.accepted.length, 2, 'the bot\'s own message was acknowledged, not accepted');
	t.truthy(await bot.inbox.get(question.id));
	t.is(world.sandbox.websocket.acks().length, 3);
});

test('a question with a file (a share, then its update) is accepted once, and both frames are acknowledged', async t => {
	const world = await startWorld(t);
	const bot = await replica(t, world, await sqliteBackend.url(t));
	await bot.start();
	const question = await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'balance for acct100? screenshot attached'), files: ['https://files.globomantics.com/screen.png']});
	await waitFor('the question', () => bot.received(), ids => ids.length === 1);
	await settled(world, 'both frames acknowledged');
	t.deepEqual(bot.received(), [question.id]);
	t.is(world.sandbox.websocket.acks().length, 2);
});

test('a socket dropped mid-burst loses nothing, accepts nothing twice, and reports the gap', async t => {
	const world = await startWorld(t);
	const bot = await replica(t, world, await sqliteBackend.url(t));
	await bot.start();
	const sent: string[] = [];
	for (let index = 0; index < 5; index++) sent.push((await ask(world, `acct${index}`)).id);
	world.sandbox.faults.add({target: 'websocket', websocket: 'drop', times: 1});
	for (let index = 5; index < 20; index++) sent.push((await ask(world, `acct${index}`)).id);
	await waitFor('all twenty', () => bot.received(), ids => ids.length >= 20, 20_000);
	await settled(world, 'every frame acknowledged');
	t.deepEqual([...bot.received()].sort(), [...sent].sort());
	t.is(new Set(bot.received()).size, 20, 'nothing accepted twice');
	const [gap] = bot.gaps;
	t.truthy(gap, 'the gap is reported for catch-up');
	t.true(gap!.since <= gap!.until);
	t.is(gap!.reason, 'websocket reconnected');
});

test('a stale device is registered again and questions keep coming', async t => {
	const world = await startWorld(t);
	const bot = await replica(t, world, await sqliteBackend.url(t));
	await bot.start();
	const before = world.sandbox.websocket.devices()[0]!.id;
	world.sandbox.websocket.expireDevices();
	await waitFor('a new device, connected', () => world.sandbox.websocket.devices(), devices => devices.length === 1 && devices[0]!.id !== before && devices[0]!.connected);
	const question = await ask(world);
	await waitFor('the question', () => bot.received(), ids => ids.includes(question.id));
	t.is(world.sandbox.websocket.devices()[0]!.name, 'globobot');
});

test('frames left unacknowledged are redelivered after a restart and are duplicates', async t => {
	const world = await startWorld(t);
	const url = await sqliteBackend.url(t);
	const first = await replica(t, world, url);
	await first.start();
	// The acks of three frames are lost (e.g. the process died between recording and acknowledging).
	world.sandbox.faults.add({target: 'websocket', websocket: 'ignore-ack', times: 3});
	const asked = [await ask(world, 'acct1'), await ask(world, 'acct2'), await ask(world, 'acct3')].map(message => message.id);
	await waitFor('three questions', () => first.received(), ids => ids.length === 3);
	await first.source.stop();
	t.is(unacknowledged(world), 3);

	const second = await replica(t, world, url);
	await second.start();
	await waitFor('three redeliveries', () => second.duplicates(), ids => ids.length === 3);
	await settled(world, 'redeliveries acknowledged');
	t.deepEqual([...second.duplicates()].sort(), [...asked].sort());
	t.deepEqual(second.received(), [], 'nothing recorded twice');
	t.true(world.sandbox.websocket.sent().filter(frame => frame.redelivery).length >= 3);
});

test('a token Webex refuses stops start with a one-line configuration error', async t => {
	const world = await startWorld(t);
	const bot = await replica(t, world, await sqliteBackend.url(t), {token: 'revoked-token-value'});
	const error = await t.throwsAsync(bot.start(), {instanceOf: ConfigError});
	t.is(error!.exitCode, 2);
	t.regex(error!.message, /^Webex refused WEBEX_TOKEN .*401/);
	t.false(error!.message.includes('\n'));
	t.false(error!.message.includes('revoked-token-value'));
});

for (const backend of backends) {
	test(`${backend.name}: two replicas, one socket; the standby takes over within 10 s of the holder's death and nothing is lost`, async t => {
		t.timeout(40_000);
		const world = await startWorld(t);
		const url = await backend.url(t);
		const a = await replica(t, world, url, {holder: 'a'});
		const b = await replica(t, world, url, {holder: 'b'});
		await a.start();
		await b.start();
		t.is(a.source.status().summary, 'websocket connected');
		t.regex(b.source.status().summary, /standby/);
		t.false(b.source.status().live);
		t.is(world.sandbox.websocket.connections(), 1);
		const early = await ask(world, 'acct1');
		await waitFor('the first question', () => a.received(), ids => ids.includes(early.id));

		const died = Date.now();
		await a.source.abandon();
		// Asked while nobody holds the socket: the shared device keeps it for whoever connects next.
		const meanwhile = await ask(world, 'acct2');
		await waitFor('the takeover', () => b.source.status().live, live => live, 10_000);
		const tookMs = Date.now() - died;
		t.true(tookMs < 10_000, `took over in ${tookMs} ms`);
		await waitFor('the question asked meanwhile', () => b.received(), ids => ids.includes(meanwhile.id));
		t.is(world.sandbox.websocket.connections(), 1);
		const all = [...a.received(), ...b.received()];
		t.is(all.length, new Set(all).size, 'no question accepted by both');
		t.true(b.gaps.some(gap => gap.reason === 'took over the websocket from another replica'));
	});
}

test('a graceful stop hands the lease over at once', async t => {
	const world = await startWorld(t);
	const url = await sqliteBackend.url(t);
	const a: Replica = await replica(t, world, url, {holder: 'a'});
	const b: Replica = await replica(t, world, url, {holder: 'b', leaseRenewMs: 200, leaseTtlMs: 5000});
	await a.start();
	await b.start();
	await a.source.stop();
	await waitFor('the takeover', () => b.source.status().live, live => live, 3000);
	t.pass();
});

test('an inbox that cannot record leaves the frame unacknowledged, reports the gap, and the redelivery is recorded', async t => {
	const world = await startWorld(t);
	const url = await sqliteBackend.url(t);
	const bot = await replica(t, world, url);
	let down = true;
	await bot.source.start(async delivery => {
		if (down) return 'unavailable';
		return (await bot.inbox.record(delivery)) ? 'received' : 'duplicate';
	});
	const question = await ask(world);
	await waitFor('the gap', () => bot.gaps, gaps => gaps.some(gap => gap.reason === 'inbox unavailable'));
	t.is(unacknowledged(world), 1, 'not acknowledged');
	down = false;
	// The next connection of the device brings it again.
	world.sandbox.websocket.dropSockets();
	await waitFor('the question recorded', () => bot.inbox.get(question.id), event => event !== undefined);
	await settled(world, 'acknowledged at last');
});
