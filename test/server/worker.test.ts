// The worker's scheduling on a real inbox (claims, due times, backoff,
// concurrency, wake-ups, the stop deadline); then exactly once across crashes
// and replicas: listeners killed for real (child processes, SIGKILL) at the
// two dangerous moments, then a new listener on the same database; and two
// listeners sharing one PostgreSQL database.
import test from 'ava';
import {setTimeout as sleep} from 'node:timers/promises';
import {openDatabase} from '../../source/crm/database.js';
import {migrateStore} from '../../source/sql/migrate.js';
import {silentLogger} from '../../server/logger.js';
import {EventOutcome} from '../../server/outcome.js';
import {createHeartbeats} from '../../server/store/heartbeats.js';
import {createInbox, type Inbox, type InboxEvent, type ReplyPlan} from '../../server/store/inbox.js';
import {listenerMigrations} from '../../server/store/migrations/index.js';
import {createWorker, retryBackoffMs, type WorkerOptions} from '../../server/worker.js';
import {sqliteBackend} from '../helpers/databases.js';
import {openTestStore} from '../helpers/stores.js';
import {backends, postgresAvailable, postgresBackend} from '../helpers/databases.js';
import {ask, registerWebhook, startChildListener, startTestListener, startWorld, targetOf, waitFor, waitForBotMessages, type World} from './harness.js';

async function inboxOf(t: {teardown(fn: () => Promise<void>): void}, world: World) {
	const database = await openDatabase(world.databaseUrl);
	t.teardown(async () => database.close());
	return createInbox(database.store);
}

async function freshInbox(t: Parameters<typeof openTestStore>[0]): Promise<Inbox> {
	const store = await openTestStore(t, sqliteBackend);
	await migrateStore(store, listenerMigrations);
	return createInbox(store);
}

const record = (inbox: Inbox, id: string) => inbox.record({messageId: id, roomId: 'R1', personId: 'P1', source: 'webhook'});

/** A worker on `inbox` whose handle completes each event (or does what `handle` says), stopped at teardown. */
function workerOn(t: Parameters<typeof openTestStore>[0], inbox: Inbox, options: Partial<WorkerOptions> & Pick<WorkerOptions, 'handle'>) {
	const worker = createWorker({inbox, concurrency: 4, leaseMs: 10_000, pollMs: 60_000, logger: silentLogger(), ...options});
	t.teardown(async () => worker.stop(0));
	return worker;
}

const completing = (inbox: Inbox, seen: string[]) => async (event: InboxEvent, owner: string): Promise<ReplyPlan | undefined> => {
	seen.push(event.messageId);
	await inbox.complete(event.messageId, owner, 'replied');
	return undefined;
};

test('worker: backoff doubles from 1 s and stops at 5 min', t => {
	t.deepEqual([1, 2, 3, 4, 10, 30].map(retryBackoffMs), [1000, 2000, 4000, 8000, 300_000, 300_000]);
});

test('worker: events recorded before the start are all taken, without waiting for a poll', async t => {
	const inbox = await freshInbox(t);
	for (const id of ['M1', 'M2', 'M3']) await record(inbox, id);
	const seen: string[] = [];
	workerOn(t, inbox, {handle: completing(inbox, seen)}).start();
	await waitFor('three handled', () => seen, ids => ids.length === 3, 2000);
	t.deepEqual(seen, ['M1', 'M2', 'M3'], 'oldest first');
	// `seen` is filled as each event starts; its completion commits a moment later.
	t.is(await waitFor('all completed', () => inbox.depth(), depth => depth === 0, 2000), 0);
});

test('worker: a new event waits for the poll unless the worker is woken', async t => {
	const inbox = await freshInbox(t);
	const seen: string[] = [];
	const worker = workerOn(t, inbox, {handle: completing(inbox, seen)});
	worker.start();
	await sleep(100);
	await record(inbox, 'M1');
	await sleep(400);
	t.deepEqual(seen, [], 'not before the 60 s poll');
	worker.wake();
	await waitFor('the woken worker to take it', () => seen, ids => ids.length === 1, 1000);
});

test('worker: never more than `concurrency` events at once, and a freed slot takes the next at once', async t => {
	const inbox = await freshInbox(t);
	for (let index = 0; index < 10; index++) await record(inbox, `M${index}`);
	let active = 0;
	let most = 0;
	let done = 0;
	workerOn(t, inbox, {
		concurrency: 3,
		async handle(event, owner) {
			active += 1;
			most = Math.max(most, active);
			await sleep(50);
			active -= 1;
			done += 1;
			await inbox.complete(event.messageId, owner, 'replied');
			return undefined;
		},
	}).start();
	await waitFor('all ten', () => done, count => count === 10, 3000);
	t.is(most, 3);
});

test('worker: a retry comes back when it falls due (Webex\'s delay, else the backoff), not at the next poll', async t => {
	const inbox = await freshInbox(t);
	await record(inbox, 'M1');
	await record(inbox, 'M2');
	const attempts: Array<[string, number]> = [];
	const retries: Array<[string, string, number]> = [];
	const started = Date.now();
	workerOn(t, inbox, {
		async handle(event, owner) {
			attempts.push([event.messageId, Date.now() - started]);
			if (event.attempts === 1) throw new EventOutcome('retry', event.messageId === 'M1' ? 'webex-rate-limited' : 'crm-unavailable', event.messageId === 'M1' ? 300 : 0);
			await inbox.complete(event.messageId, owner, 'replied');
			return undefined;
		},
		onRetry: (event, reason, delayMs) => retries.push([event.messageId, reason, delayMs]),
	}).start();
	await waitFor('both done', () => inbox.depth(), depth => depth === 0, 5000);
	t.deepEqual(retries.sort(), [['M1', 'webex-rate-limited', 300], ['M2', 'crm-unavailable', 1000]]);
	const second = (id: string) => attempts.filter(([messageId]) => messageId === id)[1]![1];
	t.true(second('M1') >= 300 && second('M1') < 1000, `M1 again after ${second('M1')} ms`);
	t.true(second('M2') >= 1000 && second('M2') < 2500, `M2 again after ${second('M2')} ms`);
});

test('worker: a failed event ends (onFailed); a lost one is left to its new owner', async t => {
	const inbox = await freshInbox(t);
	await record(inbox, 'M1');
	await record(inbox, 'M2');
	const failed: string[] = [];
	workerOn(t, inbox, {
		async handle(event) {
			throw new EventOutcome(event.messageId === 'M1' ? 'failed' : 'lost', event.messageId === 'M1' ? 'message-not-found' : 'lease lost');
		},
		onFailed: event => failed.push(event.messageId),
	}).start();
	await waitFor('M1 failed', () => inbox.get('M1'), event => event?.state === 'failed', 2000);
	t.deepEqual(failed, ['M1']);
	t.like(await inbox.get('M1'), {outcome: 'message-not-found'});
	t.like(await inbox.get('M2'), {state: 'processing', attempts: 1}, 'untouched: the lease decides who goes on');
});

test('worker: stop waits for events in flight up to its deadline, and leaves the rest leased', async t => {
	const inbox = await freshInbox(t);
	await record(inbox, 'M1');
	let started = false;
	const worker = workerOn(t, inbox, {
		async handle() {
			started = true;
			await new Promise(() => undefined);
			return undefined;
		},
	});
	worker.start();
	await waitFor('the event to start', () => started, value => value, 1000);
	const before = Date.now();
	await worker.stop(200);
	const waited = Date.now() - before;
	t.true(waited >= 190 && waited < 1000, `stop took ${waited} ms`);
	t.like(await inbox.get('M1'), {state: 'processing', leaseOwner: worker.owner});
	await record(inbox, 'M2');
	worker.wake();
	await sleep(200);
	t.like(await inbox.get('M2'), {state: 'pending'}, 'a stopped worker claims nothing more');
});

test('worker: due times are read with the injected clock', async t => {
	const store = await openTestStore(t, sqliteBackend);
	await migrateStore(store, listenerMigrations);
	// The inbox and the worker share one clock, an hour ahead of the wall clock.
	const clock = () => Date.now() + 3_600_000;
	const inbox = createInbox(store, clock);
	await record(inbox, 'M1');
	const seen: string[] = [];
	let first = true;
	workerOn(t, inbox, {
		clock,
		pollMs: 60_000,
		async handle(event, owner) {
			seen.push(event.messageId);
			if (first) {
				first = false;
				throw new EventOutcome('retry', 'webex-unavailable', 200);
			}
			await inbox.complete(event.messageId, owner, 'replied');
			return undefined;
		},
	}).start();
	await waitFor('the retry on the shifted clock', () => seen, ids => ids.length === 2, 2000);
	t.deepEqual(seen, ['M1', 'M1']);
});

test('worker: beats while running, and retires once nothing is in flight, so its leases are free at once', async t => {
	const store = await openTestStore(t, sqliteBackend);
	await migrateStore(store, listenerMigrations);
	const inbox = createInbox(store);
	const worker = workerOn(t, inbox, {heartbeats: createHeartbeats(store), beatMs: 50, handle: completing(inbox, [])});
	const beatOf = async () => Number((await store.get<{beat_at: number}>('SELECT beat_at FROM listener_heartbeats WHERE owner = $1', [worker.owner]))?.beat_at ?? -1);
	worker.start();
	await waitFor('a first beat', beatOf, at => at > 0, 1000);
	const first = await beatOf();
	await sleep(200);
	t.true((await beatOf()) > first, 'beating');
	await worker.stop(100);
	t.is(await beatOf(), 0, 'retired');
});

for (const backend of backends) {
	test(`${backend.name}: a listener killed after answering 2xx, before processing: the next one replies once`, async t => {
		const world = await startWorld(t, backend);
		const first = await startChildListener(t, world);
		await registerWebhook(world, first.targetUrl);
		// Holds the first listener's fetch of the message, so it has answered Webex but not processed.
		world.sandbox.faults.add({method: 'GET', path: /^\/messages\/(?!direct)/, delayMs: 5000, times: 1});
		const question = await ask(world, 'alice', world.aliceDirect.id, 'acct100');
		await world.sandbox.idle();
		t.is(world.sandbox.deliveries()[0]?.status, 200);
		await first.kill();
		world.sandbox.faults.clear();

		const inbox = await inboxOf(t, world);
		t.truthy(await inbox.get(question.id), 'the event was recorded before the 2xx');
		await startTestListener(t, world);
		const replies = await waitForBotMessages(world, 1, 1000);
		t.deepEqual(replies.map(reply => reply.text), ['balance for ACCT100: 40.00 USD']);
		t.like(await inbox.get(question.id), {state: 'done', outcome: 'replied'});
	});

	test(`${backend.name}: a listener killed after Webex accepted its reply, before recording it: the next one finds it and sends no second`, async t => {
		const world = await startWorld(t, backend);
		const first = await startChildListener(t, world);
		await registerWebhook(world, first.targetUrl);
		// The moment Webex stores the reply, before its answer leaves: the sender dies.
		world.sandbox.onMessage(message => {
			if (message.personId === world.bot.person.id) first.process.kill('SIGKILL');
		});
		const question = await ask(world, 'alice', world.aliceDirect.id, 'I need the acct100 balance');
		await waitForBotMessages(world, 1, 0);
		await first.kill();
		const inbox = await inboxOf(t, world);
		t.like(await inbox.get(question.id), {state: 'sending', step: 0}, 'the reply is in Webex, the inbox does not know');

		await startTestListener(t, world);
		await waitFor('the event to be reconciled', () => inbox.get(question.id), event => event?.state === 'done');
		const replies = await waitForBotMessages(world, 1, 1000);
		t.deepEqual(replies.map(reply => reply.text), ['balance for ACCT100: 40.00 USD']);
	});

	test(`${backend.name}: a listener killed while its reply is held on the way to Webex: the next one sends it once`, async t => {
		const world = await startWorld(t, backend);
		const first = await startChildListener(t, world);
		await registerWebhook(world, first.targetUrl);
		world.sandbox.faults.add({method: 'POST', path: '/messages', delayMs: 2000, times: 1});
		const question = await ask(world, 'alice', world.aliceDirect.id, 'hi, what is the balance for acct300?');
		const inbox = await inboxOf(t, world);
		await waitFor('the reply to be in flight', () => inbox.get(question.id), event => event?.state === 'sending' && event.sendingAt !== undefined);
		await sleep(300);
		await first.kill();

		await startTestListener(t, world);
		await waitFor('the event to be done', () => inbox.get(question.id), event => event?.state === 'done', 20_000);
		// Past the held request too, whatever the sandbox does with it.
		await sleep(2000);
		const replies = await waitForBotMessages(world, 1, 500);
		t.deepEqual(replies.map(reply => reply.text), ['balance for ACCT300: 0.00 USD']);
	});
}

test('two listeners on one PostgreSQL database, both receiving every delivery: one reply per message', async t => {
	if (!postgresAvailable) return t.pass('PostgreSQL unreachable (required in CI)');
	const world = await startWorld(t, postgresBackend);
	// This counts webhook deliveries: the second listener's catch-up pass at start would record some of them first (and its
	// counters would differ) when it overlaps the questions; catch-up has its own tests.
	const listeners = [await startTestListener(t, world, {GLOBOBOT_CATCH_UP: '0'}), await startTestListener(t, world, {GLOBOBOT_CATCH_UP: '0'})];
	for (const listener of listeners) await registerWebhook(world, targetOf(listener));
	const questions = ['acct100', 'acct200', 'acct300', 'acct100 and acct200', 'acct999', 'hello'];
	for (const question of questions) await ask(world, 'alice', world.aliceDirect.id, question);
	for (const question of questions.slice(0, 3)) await ask(world, 'bob', world.bobDirect.id, question);
	const replies = await waitForBotMessages(world, 9, 1500);
	t.is(replies.length, 9);
	const questionIds = new Set(world.sandbox.messages().filter(message => message.personId !== world.bot.person.id).map(message => message.id));
	t.is(world.sandbox.deliveries().filter(delivery => questionIds.has(delivery.messageId) && delivery.status === 200).length, 18);
	const total = (key: 'received' | 'duplicate' | 'replied') => listeners.reduce((sum, listener) => sum + listener.counters()[key], 0);
	t.is(total('received'), 9);
	t.is(total('duplicate'), 9);
	t.is(total('replied'), 9);
});
