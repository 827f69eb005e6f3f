// Catch-up against the sandbox over real HTTP, recording into a real inbox:
// what was asked in the gap is accepted once, and nothing else is.
import {createHmac} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';
import test, {type ExecutionContext} from 'ava';
import {seedDemo, startSandbox, type DemoWorld, type Sandbox, type SandboxMessage, type SandboxOptions} from '../../../source/sandbox/index.js';
import {createWebexClient} from '../../../source/webex/client.js';
import type {WebexClientOptions} from '../../../source/webex/types.js';
import {targetUrlOf, localUrlOf} from '../../../server/events.js';
import {createInbox, type Inbox} from '../../../server/store/inbox.js';
import {listenerMigrations} from '../../../server/store/migrations/index.js';
import {migrateStore} from '../../../source/sql/migrate.js';
import {createCatchUp, type CatchUpEvent, type CatchUpOptions, type CatchUpSource} from '../../../server/sources/catchUp.js';
import type {AcceptResult, Delivery} from '../../../server/sources/source.js';
import {sqlStoreOf} from '../../../server/store/open.js';
import {openWatermarkStore, type WatermarkStore} from '../../../server/store/watermark.js';
import {backends, openTestDatabase, sqliteBackend, type Backend} from '../../helpers/databases.js';
import {botMessages, listenerConfig, registerWebhook, secret, startTestListener, startWorld, targetOf, waitFor, waitForBotMessages, waitForQuiet} from '../harness.js';
import {startListener} from '../../../server/listener.js';
import {silentLogger} from '../../../server/logger.js';

interface Bed extends DemoWorld {
	sandbox: Sandbox;
	inbox: Inbox;
	watermark: WatermarkStore;
	/** The `swept` row of the same database: where the last full pass ended. */
	swept: WatermarkStore;
	/** What accept() answered, in order. */
	accepted: Array<{delivery: Delivery; result: AcceptResult}>;
	events: CatchUpEvent[];
	counts: Map<string, number>;
	catchUp(options?: Partial<CatchUpOptions>, client?: Partial<WebexClientOptions>): CatchUpSource;
	start(source: CatchUpSource): Promise<void>;
}

async function bed(t: ExecutionContext, backend: Backend = sqliteBackend, sandboxOptions: SandboxOptions = {}): Promise<Bed> {
	const sandbox = await startSandbox(sandboxOptions);
	t.teardown(async () => sandbox.close());
	const demo = seedDemo(sandbox);
	const database = await openTestDatabase(t, backend);
	await migrateStore(database.store, listenerMigrations);
	const inbox = createInbox(database.store);
	const watermark = await openWatermarkStore(sqlStoreOf(database));
	const swept = await openWatermarkStore(sqlStoreOf(database), Date.now, 'swept');
	const accepted: Bed['accepted'] = [];
	const events: CatchUpEvent[] = [];
	const counts = new Map<string, number>();
	return {
		...demo,
		sandbox,
		inbox,
		watermark,
		swept,
		accepted,
		events,
		counts,
		catchUp(options = {}, client = {}) {
			const source = createCatchUp({
				webex: createWebexClient({baseUrl: sandbox.url, token: demo.bot.token, minBackoffMs: 20, maxBackoffMs: 100, ...client}),
				botId: demo.bot.person.id,
				watermarkStore: watermark,
				boundMs: 3_600_000,
				overlapMs: 0,
				minRetryMs: 50,
				maxRetryMs: 200,
				onCount: (outcome, count) => counts.set(outcome, (counts.get(outcome) ?? 0) + count),
				onEvent: event => events.push(event),
				...options,
			});
			t.teardown(async () => source.stop());
			return source;
		},
		async start(source) {
			await source.start(async delivery => {
				const result: AcceptResult = (await inbox.record(delivery)) ? 'received' : 'duplicate';
				accepted.push({delivery, result});
				return result;
			});
			await source.idle();
		},
	};
}

const mention = (world: DemoWorld, question: string) => `<@personId:${world.bot.person.id}|globobot> ${question}`;

async function askDirect(world: Bed, who: 'alice' | 'bob', question: string): Promise<SandboxMessage> {
	return world.sandbox.sendMessage(world[who].token, {roomId: world[who === 'alice' ? 'aliceDirect' : 'bobDirect'].id, text: question});
}

async function askGroup(world: Bed, who: 'alice' | 'bob', question: string, mentioning = true): Promise<SandboxMessage> {
	return world.sandbox.sendMessage(world[who].token, {roomId: world.opsRoom.id, markdown: mentioning ? mention(world, question) : question});
}

/** A gap that began at `at` (Webex time). */
const gapSince = async (world: Bed, at: number) => world.watermark.write(at);

const ids = (world: Bed) => world.accepted.filter(entry => entry.result === 'received').map(entry => entry.delivery.messageId);

for (const backend of backends) {
	test(`${backend.name}: the gap's direct and group questions are accepted once, oldest first; the rest are not`, async t => {
		const world = await bed(t, backend);
		await gapSince(world, Date.now() - 1000);
		// A few ms apart: messages created in the same millisecond have no order.
		const questions = [await askDirect(world, 'alice', 'what is the balance for acct100?')];
		await sleep(3);
		questions.push(await askGroup(world, 'bob', 'balance for acct200?'));
		await sleep(3);
		questions.push(await askDirect(world, 'bob', 'acct300 please'));
		await askGroup(world, 'alice', 'lunch at noon?', false); // not for the bot: Webex does not even show it to a bot
		await world.sandbox.sendMessage(world.bot.token, {roomId: world.aliceDirect.id, text: 'an earlier reply'}); // the bot itself
		const source = world.catchUp();
		await world.start(source);

		t.deepEqual(ids(world), questions.map(question => question.id));
		const group = world.accepted[1]!.delivery;
		t.like(group, {roomId: world.opsRoom.id, roomType: 'group', personId: world.bob.person.id, personEmail: 'bob@globomantics.com', source: 'catch-up', createdAt: Date.parse(questions[1]!.created)});
		t.like(world.accepted[0]!.delivery, {roomType: 'direct', source: 'catch-up'});
		t.like(source.lastPass(), {reason: 'start', found: 3, received: 3, duplicates: 0, truncated: false});
		t.is(world.counts.get('received'), 3);
		t.is(await world.inbox.depth(), 3);
		// The watermark moved past the pass.
		t.true((await world.watermark.read())! >= Date.parse(questions[2]!.created));

		// Read again (a trigger): all duplicates, nothing new in the inbox.
		await gapSince(world, 0); // ignored: the store only moves forward
		source.trigger('test');
		await source.idle();
		t.like(source.lastPass(), {received: 0});
		t.is(await world.inbox.depth(), 3);
	});
}

test('a trigger re-reads from the last durable point: what was already recorded is a duplicate', async t => {
	const world = await bed(t);
	const since = Date.now() - 1000;
	await gapSince(world, since);
	const first = await askDirect(world, 'alice', 'acct100?');
	const source = world.catchUp({overlapMs: 60_000});
	await world.start(source);
	const second = await askGroup(world, 'alice', 'acct200?');
	source.trigger('websocket reconnected');
	await source.idle();
	t.deepEqual(ids(world), [first.id, second.id]);
	t.like(source.lastPass(), {reason: 'websocket reconnected', found: 2, received: 1, duplicates: 1});
	t.is(world.counts.get('duplicate'), 1);
});

test('the very first start answers nothing, and the gap starts then', async t => {
	const world = await bed(t);
	await askDirect(world, 'alice', 'acct100?');
	await askGroup(world, 'bob', 'acct200?');
	// The boundary is inclusive (a question in the very millisecond is read again, as a duplicate at worst): step past it.
	await sleep(5);
	const before = Date.now();
	const source = world.catchUp();
	await world.start(source);
	t.deepEqual(world.accepted, []);
	t.is(world.events[0]?.kind, 'first-start');
	const watermark = (await world.watermark.read())!;
	t.true(watermark >= before && watermark <= Date.now(), 'the watermark starts now');

	// The next start reads only what came after.
	await sleep(5);
	const later = await askDirect(world, 'bob', 'acct300?');
	await source.stop();
	await world.start(world.catchUp());
	t.deepEqual(ids(world), [later.id]);
});

test('messages from before the gap, and older than GLOBOBOT_CATCH_UP, are not accepted', async t => {
	const world = await bed(t);
	await askDirect(world, 'alice', 'old: acct100?');
	await askGroup(world, 'alice', 'old: acct200?');
	await sleep(30);
	await gapSince(world, Date.now());
	await sleep(5);
	const inGap = await askDirect(world, 'bob', 'acct300?');
	await world.start(world.catchUp());
	t.deepEqual(ids(world), [inGap.id], 'before the gap');

	// A watermark a day old, a bound of 400 ms: only the last 400 ms count.
	const bounded = await bed(t);
	await gapSince(bounded, Date.now() - 86_400_000);
	await askDirect(bounded, 'alice', 'too old: acct100?');
	await askGroup(bounded, 'bob', 'too old: acct200?');
	await sleep(600);
	const recent = await askGroup(bounded, 'alice', 'acct300?');
	const source = bounded.catchUp({boundMs: 400});
	await bounded.start(source);
	t.deepEqual(ids(bounded), [recent.id], 'older than the bound');
	t.like(source.lastPass(), {truncated: true});
});

test('a 429 in the middle of catch-up delays it (Retry-After) and loses nothing', async t => {
	const world = await bed(t);
	await gapSince(world, Date.now() - 1000);
	const questions: SandboxMessage[] = [];
	for (const ask of [() => askDirect(world, 'alice', 'acct100?'), () => askGroup(world, 'bob', 'acct200?'), () => askDirect(world, 'bob', 'acct300?')]) {
		questions.push(await ask());
		await sleep(3);
	}
	// The first room's listing of messages is refused once, for 1 s.
	let listings = 0;
	world.sandbox.faults.add({path: '/messages', method: 'GET', status: 429, retryAfter: 1, times: 1});
	const started = Date.now();
	const source = world.catchUp({}, {observer: {onResponse: ({path}) => void (path === '/messages' && listings++)}});
	await world.start(source);
	t.true(Date.now() - started >= 900, 'waited for Retry-After');
	t.deepEqual(ids(world), questions.map(question => question.id));
	t.true(listings >= 4, 'the refused listing was made again');
	t.is(world.counts.get('error'), undefined, 'the client absorbed it: the pass did not fail');
});

test('a Webex failure fails the pass, keeps the gap (the watermark does not move), and a retry with backoff reads it', async t => {
	const world = await bed(t);
	const since = Date.now() - 1000;
	await gapSince(world, since);
	const question = await askGroup(world, 'alice', 'acct100?');
	world.sandbox.faults.add({path: '/rooms', method: 'GET', status: 503, times: 1});
	let roomListings = 0;
	// The retry comes 1.5–2.5 s later (jitter), time enough to look at the failed state first.
	const source = world.catchUp({minRetryMs: 2000, maxRetryMs: 2000}, {retries: 0, observer: {onResponse: ({path}) => void (path === '/rooms' && roomListings++)}});
	await world.start(source);
	t.is(world.events.find(event => event.kind === 'failed')?.kind, 'failed');
	// Triggers while failing (every delivery refused, say) wait for the backoff rather than hammer Webex.
	for (let index = 0; index < 20; index++) source.trigger('a delivery could not be recorded');
	await sleep(50);
	t.is(roomListings, 1);
	t.false(source.status().live);
	t.regex(source.status().summary, /catch-up failing \(webex-503\)/);
	t.is(await world.watermark.read(), since, 'the gap is kept');
	await waitFor('the retried pass', () => ids(world), accepted => accepted.length === 1, 15_000);
	await source.idle();
	t.deepEqual(ids(world), [question.id]);
	t.is(world.counts.get('error'), 1);
	t.true((await world.watermark.read())! > since);
	t.true(source.status().live);
});

test('an unrecorded question (inbox unavailable) keeps the gap; the next pass records it', async t => {
	const world = await bed(t);
	const since = Date.now() - 1000;
	await gapSince(world, since);
	const question = await askDirect(world, 'alice', 'acct100?');
	let down = true;
	const source = world.catchUp({minRetryMs: 100, maxRetryMs: 100});
	await source.start(async delivery => {
		if (down) return 'unavailable';
		return (await world.inbox.record(delivery)) ? 'received' : 'duplicate';
	});
	await source.idle();
	t.is(world.counts.get('unavailable'), 1);
	t.is(await world.watermark.read(), since);
	down = false;
	await waitFor('the question recorded', () => world.inbox.get(question.id), Boolean, 15_000);
	await source.idle();
	t.true((await world.watermark.read())! > since);
});

test('more questions than a page: all are read, even where next links lose mentionedPeople (§5) and Webex refuses them', async t => {
	const world = await bed(t, sqliteBackend, {nextLinksDropMentionedPeople: true});
	await gapSince(world, Date.now() - 1000);
	const asked: string[] = [];
	for (let index = 0; index < 150; index++) {
		asked.push((await askGroup(world, index % 2 === 0 ? 'alice' : 'bob', `acct${index}?`)).id);
		asked.push((await askDirect(world, 'alice', `acct${index}?`)).id);
	}
	const source = world.catchUp();
	await world.start(source);
	t.deepEqual([...ids(world)].sort(), [...asked].sort());
	t.like(source.lastPass(), {skippedRooms: 0, found: 300, received: 300});
});

test('a webhook found inactive and reactivated: the trigger reads what it missed', async t => {
	const world = await bed(t, sqliteBackend, {autoDisableThreshold: 1});
	const source = world.catchUp();
	await world.start(source); // the first start
	// A webhook to a target that does not answer: the first failure disables it.
	const webex = createWebexClient({baseUrl: world.sandbox.url, token: world.bot.token});
	const webhook = await webex.webhooks.create({name: 'globobot', targetUrl: 'http://127.0.0.1:9/wtwebhook', resource: 'messages', event: 'created', secret});
	const missed = await askDirect(world, 'alice', 'acct100?');
	await world.sandbox.idle();
	t.is((await webex.webhooks.get(webhook.id)).status, 'inactive');
	t.deepEqual(ids(world), [], 'nothing reads the gap by itself');
	await webex.webhooks.update(webhook.id, {name: webhook.name, targetUrl: webhook.targetUrl, status: 'active'});
	source.trigger('webhook reactivated');
	await source.idle();
	t.deepEqual(ids(world), [missed.id]);
	t.like(source.lastPass(), {reason: 'webhook reactivated', received: 1});
});

test('a delivery observed from the webhook raises the watermark; one while a gap is open does not', async t => {
	const world = await bed(t);
	const since = Date.now() - 1000;
	await gapSince(world, since);
	const source = world.catchUp({watermarkIntervalMs: 10, minRetryMs: 10_000, maxRetryMs: 10_000}, {retries: 0});
	await world.start(source);
	const afterPass = (await world.watermark.read())!;
	const delivered = {messageId: 'M-webhook', roomId: 'R', personId: 'P', source: 'webhook' as const, createdAt: afterPass + 5000};
	source.observe(delivered, 'received');
	await waitFor('the watermark written', () => world.watermark.read(), value => value === afterPass + 5000, 10_000);
	// Unrecorded: a pass is due, and while it is open nothing else moves the watermark.
	world.sandbox.faults.add({path: '/rooms', method: 'GET', status: 503, times: 1});
	source.observe({...delivered, messageId: 'M-lost', createdAt: afterPass + 6000}, 'unavailable');
	source.observe({...delivered, messageId: 'M-later', createdAt: afterPass + 7000}, 'received');
	await sleep(100);
	t.is(await world.watermark.read(), afterPass + 5000);
});

test('a sweep reads from where the last pass ended: a question whose delivery failed is found although later deliveries raised the watermark', async t => {
	const world = await bed(t);
	await gapSince(world, Date.now() - 1000);
	const source = world.catchUp({everyMs: 300, watermarkIntervalMs: 10});
	await world.start(source);
	t.like(source.lastPass(), {reason: 'start', found: 0});
	// Its delivery failed (nobody said so: no trigger); a later question's arrived and raised the watermark past it.
	const missed = await askDirect(world, 'alice', 'acct100?');
	source.observe({messageId: 'M-later', roomId: world.aliceDirect.id, personId: world.alice.person.id, source: 'webhook', createdAt: Date.parse(missed.created) + 60_000}, 'received');
	await waitFor('the watermark past the missed question', () => world.watermark.read(), value => value === Date.parse(missed.created) + 60_000, 10_000);
	await waitFor('a sweep', async () => source.lastPass(), pass => pass?.reason === 'sweep' && pass.received === 1, 10_000);
	t.deepEqual(ids(world), [missed.id]);
	t.like(world.accepted.at(-1)!.delivery, {source: 'catch-up', messageId: missed.id});
	// The next sweeps find it again as a duplicate (their overlap) or not at all, never as new.
	await waitFor('another sweep', async () => world.events.filter(event => event.kind === 'pass').length, passes => passes >= 3, 10_000);
	t.deepEqual(ids(world), [missed.id]);
});

test('where the last pass ended is kept: after a restart the first pass reads from there, not only from the watermark', async t => {
	const world = await bed(t);
	await gapSince(world, Date.now() - 1000);
	const before = world.catchUp({sweptStore: world.swept, watermarkIntervalMs: 10});
	await world.start(before);
	t.is(await world.swept.read(), before.lastPass()!.gapEnd);
	// Lost on the way, then a later delivery raises the watermark past it; the process dies before any sweep.
	const missed = await askDirect(world, 'alice', 'acct100?');
	before.observe({messageId: 'M-later', roomId: world.aliceDirect.id, personId: world.alice.person.id, source: 'webhook', createdAt: Date.parse(missed.created) + 60_000}, 'received');
	await waitFor('the watermark past the missed question', () => world.watermark.read(), value => value === Date.parse(missed.created) + 60_000, 10_000);
	await before.stop();

	// Without the kept mark a restart reads from the watermark and never sees it …
	const forgetful = world.catchUp();
	await world.start(forgetful);
	t.like(forgetful.lastPass(), {reason: 'start', found: 0});
	await forgetful.stop();
	// … with it, the restart finds it.
	const after = world.catchUp({sweptStore: world.swept});
	await world.start(after);
	t.like(after.lastPass(), {reason: 'start', received: 1});
	t.deepEqual(ids(world), [missed.id]);
});

test('without everyMs nothing reads on its own after the start', async t => {
	const world = await bed(t);
	await gapSince(world, Date.now() - 1000);
	const source = world.catchUp();
	await world.start(source);
	await askDirect(world, 'alice', 'acct100?');
	await sleep(700);
	t.is(world.events.filter(event => event.kind === 'pass').length, 1);
	t.deepEqual(ids(world), []);
});

// --- The listener, end to end: a restart catches up, and a late webhook is a duplicate.

test('a restarted listener answers what was asked while it was down, once; a late webhook for it is a duplicate', async t => {
	t.timeout(60_000);
	const world = await startWorld(t, sqliteBackend);
	const config = listenerConfig(world, {GLOBOBOT_GROUP_REPLY: 'dm'});
	const first = await startListener(config, {logger: silentLogger(), pollMs: 200, leaseMs: 5000, sendTimeoutMs: 3000});
	const webhook = await registerWebhook(world, targetUrlOf(first)!);
	const answered = await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'acct100?'});
	await waitForBotMessages(world, 1);
	await waitForQuiet(world, first);
	const port = new URL(localUrlOf(first)!).port;
	await first.close();

	// Nobody listens: these deliveries fail, and Webex would not send them again.
	const direct = await world.sandbox.sendMessage(world.bob.token, {roomId: world.bobDirect.id, text: 'acct200?'});
	const group = await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'acct300?')});
	await world.sandbox.sendMessage(world.bob.token, {roomId: world.opsRoom.id, text: 'not for the bot'});
	await world.sandbox.idle();
	t.true(world.sandbox.deliveries().filter(record => record.messageId === direct.id || record.messageId === group.id).every(record => !record.ok));

	const second = await startListener({...config, port: Number(port), publicUrl: `http://127.0.0.1:${port}`}, {logger: silentLogger(), pollMs: 200, leaseMs: 5000, sendTimeoutMs: 3000});
	t.teardown(async () => second.close());
	const events: string[] = [];
	second.onEvent(event => event.source === 'catch-up' && event.outcome === 'received' && events.push(`${event.outcome} ${event.eventId === answered.id ? 'answered' : 'missed'}`));
	// 1 (before) + 1 (direct) + 2 (the group question: figures by DM, a pointer in the thread).
	await waitForBotMessages(world, 4);
	await waitForQuiet(world, second);
	const replies = botMessages(world);
	t.is(replies.length, 4);
	t.is(replies.filter(reply => reply.roomId === world.bobDirect.id).length, 1);
	t.is(replies.filter(reply => reply.parentId === group.id).length, 1, 'one pointer in the thread');
	t.true(replies.some(reply => reply.roomId === world.aliceDirect.id && /ACCT300/.test(reply.text ?? '')), 'the figures privately');
	t.true(second.sources().some(source => source.kind === 'catch-up' && source.live));

	// Webex's late webhook for a caught-up question: answered 200, recorded as a duplicate, not answered again.
	const body = JSON.stringify({id: webhook.id, name: webhook.name, resource: 'messages', event: 'created', data: {id: direct.id, roomId: direct.roomId, roomType: 'direct', personId: direct.personId, personEmail: direct.personEmail, created: direct.created}});
	const response = await fetch(targetUrlOf(second)!, {method: 'POST', body, headers: {'content-type': 'application/json', 'x-spark-signature': createHmac('sha1', secret).update(body).digest('hex')}});
	t.is(response.status, 200);
	await sleep(500);
	t.is(second.counters().duplicate >= 1, true);
	t.is(botMessages(world).length, 4);
	const metrics = await (await fetch(`${localUrlOf(second)!}/metrics`)).text();
	t.regex(metrics, /globobot_catch_up_total\{outcome="received"\} 2/);
	t.regex(metrics, /globobot_catch_up_total\{outcome="duplicate"\} 1/);
	// The activity pane shows what catch-up brought in, not the overlap it re-read.
	t.deepEqual(events, ['received missed', 'received missed']);
});

test('a delivery lost while the listener runs (no restart, no trigger) is answered by the next sweep, once', async t => {
	t.timeout(60_000);
	const world = await startWorld(t, sqliteBackend);
	const listener = await startTestListener(t, world, {GLOBOBOT_CATCH_UP_EVERY: '1s'});
	await registerWebhook(world, targetOf(listener));
	const caughtUp: string[] = [];
	listener.onEvent(event => event.source === 'catch-up' && event.outcome === 'received' && event.eventId !== undefined && caughtUp.push(event.eventId));
	// A network blip: this one delivery never reaches the listener, and Webex does not send it again.
	world.sandbox.faults.add({target: 'delivery', drop: true, times: 1});
	const missed = await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'acct100?'});
	await world.sandbox.idle();
	t.false(world.sandbox.deliveries().some(record => record.messageId === missed.id && record.ok));
	await world.sandbox.sendMessage(world.bob.token, {roomId: world.bobDirect.id, text: 'acct200?'});
	await waitForBotMessages(world, 2);
	await sleep(2500); // more sweeps: each reads the question again, as a duplicate
	await waitForQuiet(world, listener);
	const replies = botMessages(world);
	t.is(replies.length, 2);
	t.is(replies.filter(reply => reply.roomId === world.aliceDirect.id && /ACCT100/.test(reply.text ?? '')).length, 1);
	t.deepEqual(caughtUp, [missed.id]);
});
