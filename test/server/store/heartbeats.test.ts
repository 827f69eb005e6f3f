// Dead owners, told apart from slow ones by their heartbeat: a silent owner's
// leases are taken over at once, a beating owner's are not, and a POST that
// may be in flight is protected whatever its owner's state.
import test from 'ava';
import {migrateStore} from '../../../source/sql/migrate.js';
import {createHeartbeats} from '../../../server/store/heartbeats.js';
import {createInbox} from '../../../server/store/inbox.js';
import {listenerMigrations} from '../../../server/store/migrations/index.js';
import {backends} from '../../helpers/databases.js';
import {openTestStore} from '../../helpers/stores.js';

const lease = 30_000;

for (const backend of backends) {
	test(`${backend.name}: a dead owner's lease is taken after its heartbeat stops, long before the lease ends; a live one keeps it`, async t => {
		const store = await openTestStore(t, backend);
		await migrateStore(store, listenerMigrations);
		let now = 1_000_000;
		const clock = () => now;
		const inbox = createInbox(store, clock, {deadAfterMs: 3000});
		const heartbeats = createHeartbeats(store, clock);
		for (const id of ['M1', 'M2', 'M3']) await inbox.record({messageId: id, roomId: 'R1', personId: 'P1'});
		await heartbeats.beat('dead');
		await heartbeats.beat('alive');
		t.like(await inbox.claim('dead', lease), {messageId: 'M1'});
		t.like(await inbox.claim('alive', lease), {messageId: 'M2'});
		t.like(await inbox.claim('silent', lease), {messageId: 'M3'}, 'an owner that never beat');

		now += 2000;
		await heartbeats.beat('alive');
		t.is(await inbox.claim('new', lease), undefined, 'two seconds of silence is not death');

		now += 2000;
		await heartbeats.beat('alive');
		const taken = await inbox.claim('new', lease);
		t.like(taken, {messageId: 'M1', attempts: 2, leaseOwner: 'new'});
		t.false(await inbox.renew('M1', 'dead', lease), 'the dead owner can no longer write');
		t.is(await inbox.claim('new', lease), undefined, 'the beating owner and the one without a heartbeat keep theirs until their leases end');

		now += lease;
		await heartbeats.beat('alive');
		await inbox.renew('M1', 'new', lease);
		const expired = [await inbox.claim('new', lease), await inbox.claim('new', lease)].map(event => event?.messageId);
		t.deepEqual(expired, ['M2', 'M3'], 'unrenewed leases still expire, whoever held them');
	});

	test(`${backend.name}: a retired owner's leases are free at once; a dead owner's POST in flight is still waited for`, async t => {
		const store = await openTestStore(t, backend);
		await migrateStore(store, listenerMigrations);
		let now = 1_000_000;
		const clock = () => now;
		const inbox = createInbox(store, clock, {deadAfterMs: 3000});
		const heartbeats = createHeartbeats(store, clock);
		await inbox.record({messageId: 'M1', roomId: 'R1', personId: 'P1'});
		await inbox.record({messageId: 'M2', roomId: 'R1', personId: 'P1'});
		await heartbeats.beat('A');
		await inbox.claim('A', lease);
		await inbox.claim('A', lease);
		await inbox.savePlan('M1', 'A', {kind: 'balances', accountIds: [], messages: [{roomId: 'R1', text: 'x'}]});
		await inbox.beginSend('M1', 'A', 0, 7500);
		await heartbeats.retire('A');
		t.like(await inbox.claim('B', lease), {messageId: 'M2'}, 'retired: free at once');
		t.is(await inbox.claim('B', lease), undefined, 'M1 may still be on its way to Webex');
		now += 7501;
		t.like(await inbox.claim('B', lease), {messageId: 'M1', state: 'sending'});
		t.is(await heartbeats.forget(1000), 1);
	});
}
