// Exactly once across crashes and replicas: listeners killed for real (child
// processes, SIGKILL) at the two dangerous moments, then a new listener on the
// same database; and two listeners sharing one PostgreSQL database.
import test from 'ava';
import {setTimeout as sleep} from 'node:timers/promises';
import {openDatabase} from '../../source/crm/database.js';
import {createInbox} from '../../server/inbox.js';
import {backends, postgresAvailable, postgresBackend} from '../helpers/databases.js';
import {ask, registerWebhook, startChildListener, startTestListener, startWorld, waitFor, waitForBotMessages, type World} from './harness.js';

async function inboxOf(t: {teardown(fn: () => Promise<void>): void}, world: World) {
	const database = await openDatabase(world.databaseUrl);
	t.teardown(async () => database.close());
	return createInbox(database);
}

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
	for (const listener of listeners) await registerWebhook(world, listener.targetUrl);
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
