import test from 'ava';
import {setTimeout as sleep} from 'node:timers/promises';
import {migrateStore} from '../../../source/sql/migrate.js';
import {createInbox, type ReplyPlan} from '../../../server/store/inbox.js';
import {listenerMigrations} from '../../../server/store/migrations/index.js';
import {backends, type Backend} from '../../helpers/databases.js';
import {openTestStore} from '../../helpers/stores.js';

/** A fresh store with the listener's tables. */
async function openInboxStore(t: Parameters<typeof openTestStore>[0], backend: Backend) {
	const store = await openTestStore(t, backend);
	await migrateStore(store, listenerMigrations);
	return store;
}

const delivery = (messageId: string) => ({messageId, roomId: 'R1', roomType: 'direct' as const, personId: 'P1', personEmail: 'alice@example.com'});
const plan: ReplyPlan = {kind: 'balances', accountIds: ['ACCT1'], messages: [{roomId: 'R1', text: 'balance for ACCT1: 1.00 USD'}]};
const lease = 60_000;

for (const backend of backends) {
	test(`${backend.name}: a repeated delivery is recorded once`, async t => {
		const inbox = createInbox(await openInboxStore(t, backend));
		t.true(await inbox.record(delivery('M1')));
		t.false(await inbox.record(delivery('M1')));
		t.is(await inbox.depth(), 1);
	});

	test(`${backend.name}: an event goes pending → processing → sending → done, its plan then forgotten`, async t => {
		const inbox = createInbox(await openInboxStore(t, backend));
		await inbox.record(delivery('M1'));
		const claimed = await inbox.claim('A', lease);
		t.like(claimed, {messageId: 'M1', state: 'processing', attempts: 1, personEmail: 'alice@example.com', roomType: 'direct'});
		t.is(await inbox.claim('B', lease), undefined, 'a held event is not claimed twice');
		t.true(await inbox.savePlan('M1', 'A', plan));
		t.true(await inbox.beginSend('M1', 'A', 0, 0));
		t.like(await inbox.get('M1'), {state: 'sending', step: 0, plan});
		t.is(await inbox.recordReply('M1', 'A', 0, 'REPLY1'), 'recorded');
		t.true(await inbox.complete('M1', 'A', 'replied'));
		const done = await inbox.get('M1');
		t.like(done, {state: 'done', step: 1, outcome: 'replied'});
		t.is(done?.plan, undefined);
		t.is(await inbox.depth(), 0);
		t.is(await inbox.claim('A', lease), undefined);
	});

	test(`${backend.name}: one Webex reply settles one event only`, async t => {
		const inbox = createInbox(await openInboxStore(t, backend));
		for (const id of ['M1', 'M2']) {
			await inbox.record(delivery(id));
			await inbox.claim('A', lease);
			await inbox.savePlan(id, 'A', plan);
		}
		t.is(await inbox.recordReply('M1', 'A', 0, 'REPLY1'), 'recorded');
		t.is(await inbox.recordReply('M2', 'A', 0, 'REPLY1'), 'taken');
		t.like(await inbox.get('M2'), {step: 0});
	});

	test(`${backend.name}: a released sending event stays sending and comes back after its delay`, async t => {
		const inbox = createInbox(await openInboxStore(t, backend));
		await inbox.record(delivery('M1'));
		await inbox.claim('A', lease);
		await inbox.savePlan('M1', 'A', plan);
		await inbox.beginSend('M1', 'A', 0, 0);
		t.true(await inbox.release('M1', 'A', 300, 'webex-429'));
		t.like(await inbox.get('M1'), {state: 'sending', lastError: 'webex-429'});
		t.is(await inbox.claim('B', lease), undefined, 'not before its delay');
		const due = await inbox.nextDueAt();
		t.true(due !== undefined && due > Date.now());
		await sleep(350);
		const again = await inbox.claim('B', lease);
		t.like(again, {state: 'sending', attempts: 2, plan});
		t.true(again?.sendingAt !== undefined);
	});

	test(`${backend.name}: a renewed lease keeps the event`, async t => {
		const inbox = createInbox(await openInboxStore(t, backend));
		await inbox.record(delivery('M1'));
		await inbox.claim('A', 100);
		t.true(await inbox.renew('M1', 'A', lease));
		await sleep(150);
		t.is(await inbox.claim('B', lease), undefined);
	});

	test(`${backend.name}: an expired lease passes to another worker and the old one can no longer write`, async t => {
		const inbox = createInbox(await openInboxStore(t, backend));
		await inbox.record(delivery('M1'));
		await inbox.claim('A', 100);
		await sleep(150);
		t.like(await inbox.claim('B', lease), {messageId: 'M1', attempts: 2});
		t.false(await inbox.savePlan('M1', 'A', plan));
		t.false(await inbox.renew('M1', 'A', lease));
		t.false(await inbox.complete('M1', 'A', 'replied'));
		t.true(await inbox.savePlan('M1', 'B', plan));
		t.is(await inbox.recordReply('M1', 'A', 0, 'REPLY1'), 'lost');
		t.is(await inbox.recordReply('M1', 'B', 0, 'REPLY1'), 'recorded');
	});

	test(`${backend.name}: while a POST may be in flight, nobody takes the event over, even after its lease expired`, async t => {
		const inbox = createInbox(await openInboxStore(t, backend));
		await inbox.record(delivery('M1'));
		await inbox.claim('A', 100);
		await inbox.savePlan('M1', 'A', plan);
		t.true(await inbox.beginSend('M1', 'A', 0, 400));
		await sleep(150);
		t.is(await inbox.claim('B', lease), undefined, 'lease expired, POST maybe in flight');
		await sleep(300);
		t.like(await inbox.claim('B', lease), {messageId: 'M1', state: 'sending'});
	});

	test(`${backend.name}: failing ends the event`, async t => {
		const inbox = createInbox(await openInboxStore(t, backend));
		await inbox.record(delivery('M1'));
		await inbox.claim('A', lease);
		t.true(await inbox.fail('M1', 'A', 'message-not-found', 'message-not-found'));
		t.like(await inbox.get('M1'), {state: 'failed', outcome: 'message-not-found'});
		t.is(await inbox.depth(), 0);
	});

	test(`${backend.name}: concurrent claimers never share an event`, async t => {
		const store = await openInboxStore(t, backend);
		const inboxes = [createInbox(store), createInbox(store)];
		const ids = Array.from({length: 20}, (_, index) => `M${index}`);
		for (const id of ids) await inboxes[0]!.record(delivery(id));
		const claimed: string[] = [];
		await Promise.all(
			['A', 'B', 'C', 'D'].map(async (owner, index) => {
				const inbox = inboxes[index % 2]!;
				for (;;) {
					const event = await inbox.claim(owner, lease);
					if (!event) return;
					claimed.push(event.messageId);
				}
			}),
		);
		t.deepEqual([...claimed].sort(), [...ids].sort());
	});
}

for (const backend of backends) {
	test(`${backend.name}: prune forgets finished events past retention, never an unfinished one, nor a reply an unfinished event could still match`, async t => {
		const store = await openInboxStore(t, backend);
		let now = 10 * 86_400_000;
		const inbox = createInbox(store, () => now);
		const day = 86_400_000;
		const finish = async (id: string, replyId: string) => {
			await inbox.record(delivery(id));
			await inbox.claim('A', lease);
			await inbox.savePlan(id, 'A', plan);
			await inbox.recordReply(id, 'A', 0, replyId);
			await inbox.complete(id, 'A', 'replied');
		};
		await finish('OLD', 'REPLY-OLD');
		await inbox.record(delivery('WAITING'));
		t.like(await inbox.claim('W', 365 * day), {messageId: 'WAITING'}, 'held a long time (a year-long lease, for the test)');
		now += 2 * day;
		await finish('RECENT', 'REPLY-RECENT');
		now += 30 * day;
		t.deepEqual(await inbox.prune(31 * day), {events: 1, replies: 0}, 'OLD goes, but its reply record stays: it was sent within the margin before WAITING arrived');
		t.is(await inbox.get('OLD'), undefined);
		t.like(await inbox.get('WAITING'), {state: 'processing'}, 'unfinished: never pruned');
		t.like(await inbox.get('RECENT'), {state: 'done'});
		t.false(await inbox.record(delivery('RECENT')), 'a kept event still makes a redelivery a duplicate');
		t.is((await store.all('SELECT reply_id FROM listener_replies')).length, 2);

		// Once nothing is unfinished, old reply records go with their events.
		t.true(await inbox.complete('WAITING', 'W', 'replied'));
		now += 32 * day;
		t.deepEqual(await inbox.prune(31 * day), {events: 2, replies: 2});
		t.is(await inbox.depth(), 0);
	});
}
