// The operator's view of the inbox on both backends: list and filters, one
// event's detail, and a retry that moves a failed event back to pending
// exactly once, whoever races for it.
import test from 'ava';
import {migrateStore} from '../../../source/sql/migrate.js';
import {createEventLog} from '../../../server/store/eventLog.js';
import {createInbox, type ReplyPlan} from '../../../server/store/inbox.js';
import {listenerMigrations} from '../../../server/store/migrations/index.js';
import {backends, type Backend} from '../../helpers/databases.js';
import {openTestStore} from '../../helpers/stores.js';

async function openLog(t: Parameters<typeof openTestStore>[0], backend: Backend) {
	const store = await openTestStore(t, backend);
	await migrateStore(store, listenerMigrations);
	return {store, inbox: createInbox(store), log: createEventLog(store)};
}

const delivery = (messageId: string) => ({messageId, roomId: 'R1', roomType: 'direct' as const, personId: 'P1', personEmail: 'alice@example.com'});
const plan: ReplyPlan = {kind: 'balances', accountIds: ['ACCT1'], messages: [{roomId: 'R1', text: 'balance for ACCT1: 1.00 USD'}]};

for (const backend of backends) {
	test(`${backend.name}: list shows state, attempts, error, outcome and source, filtered by state and time, never the plan`, async t => {
		const {inbox, log} = await openLog(t, backend);
		t.true(await log.exists());
		for (const id of ['M1', 'M2', 'M3']) await inbox.record(delivery(id));
		const first = await inbox.claim('A', 60_000);
		await inbox.fail(first!.messageId, 'A', 'message-not-found', 'message-not-found');
		const second = await inbox.claim('A', 60_000);
		await inbox.release(second!.messageId, 'A', 60_000, 'AbortError');
		const third = await inbox.claim('A', 60_000);
		await inbox.savePlan(third!.messageId, 'A', plan);

		const all = await log.list();
		t.is(all.length, 3);
		t.like(all.find(event => event.id === first!.messageId), {state: 'failed', attempts: 1, outcome: 'message-not-found', source: 'webhook', personEmail: 'alice@example.com'});
		t.like(all.find(event => event.id === second!.messageId), {state: 'pending', attempts: 1, lastError: 'AbortError'});
		t.false(JSON.stringify(all).includes('1.00 USD'), 'the reply plan never leaves the database');
		t.deepEqual((await log.list({states: ['failed']})).map(event => event.id), [first!.messageId]);
		t.deepEqual((await log.list({states: ['pending']})).map(event => event.id), [second!.messageId]);
		t.deepEqual((await log.list({states: ['sending']})).map(event => event.id), [third!.messageId]);
		t.is((await log.list({since: Date.now() + 60_000})).length, 0);
		t.is((await log.list({limit: 2})).length, 2);

		const health = await log.health();
		t.like(health, {pending: 2, retrying: 2, failed24h: 1, waiting: 0});
		t.truthy(health.lastReceivedAt);
		t.like(health.lastError, {id: second!.messageId, error: 'AbortError'});
	});

	test(`${backend.name}: retry puts a failed event back to pending once; a second, racing retry changes nothing`, async t => {
		const {inbox, log} = await openLog(t, backend);
		await inbox.record(delivery('M1'));
		await inbox.claim('A', 60_000);
		await inbox.fail('M1', 'A', 'room-not-found', 'room-not-found');
		const results = await Promise.all([log.retry('M1', 'kate'), log.retry('M1', 'sam')]);
		t.deepEqual(results.map(result => result.result).sort(), ['not-failed', 'retried']);
		const detail = await log.get('M1');
		t.like(detail, {state: 'pending', attempts: 0, leased: false});
		t.is(detail?.outcome, undefined);
		t.is(detail?.actions.length, 1);
		t.regex(detail?.actions[0]?.detail ?? '', /was failed: room-not-found after 1 attempt/);
		t.like(await inbox.claim('B', 60_000), {messageId: 'M1', state: 'processing'}, 'a worker picks it up again');
		t.deepEqual(await log.retry('nope', 'kate'), {result: 'not-found'});
	});

	test(`${backend.name}: an event a reply already reached Webex for is not retried (it could be answered twice)`, async t => {
		const {inbox, log} = await openLog(t, backend);
		await inbox.record(delivery('M1'));
		await inbox.claim('A', 60_000);
		await inbox.savePlan('M1', 'A', {...plan, messages: [...plan.messages, {roomId: 'R1', text: 'second'}]});
		await inbox.recordReply('M1', 'A', 0, 'REPLY1');
		await inbox.fail('M1', 'A', 'room-not-found', 'room-not-found');
		t.deepEqual(await log.retry('M1', 'kate'), {result: 'answered', replies: 1});
		t.like(await log.get('M1'), {state: 'failed', replyIds: ['REPLY1']});
	});

	test(`${backend.name}: changedSince follows changes in time order`, async t => {
		const {inbox, log} = await openLog(t, backend);
		const start = Date.now();
		await inbox.record(delivery('M1'));
		await inbox.record(delivery('M2'));
		t.deepEqual((await log.changedSince(start)).map(event => event.id).sort(), ['M1', 'M2']);
		t.is((await log.changedSince(Date.now() + 1000)).length, 0);
	});
}

test('before the listener ever ran, the inbox does not exist (and nothing is created)', async t => {
	const store = await openTestStore(t, backends[0]!);
	t.false(await createEventLog(store).exists());
});
