// The leader lease on both backends: one holder at a time, renewal, takeover
// only after expiry, release.
import test from 'ava';
import {openLeaderLease} from '../../../server/store/leader.js';
import {backends} from '../../helpers/databases.js';
import {openTestStore} from '../../helpers/stores.js';

for (const backend of backends) {
	test(`${backend.name}: one holder; renewals keep it; another takes over only once it expired; release frees it`, async t => {
		const store = await openTestStore(t, backend);
		let now = 1_000_000;
		const lease = await openLeaderLease(store, 'websocket:globobot', () => now);
		t.true(await lease.tryAcquire('a', 6000));
		t.false(await lease.tryAcquire('b', 6000));
		now += 5000;
		t.true(await lease.tryAcquire('a', 6000), 'a renews');
		now += 5000;
		t.false(await lease.tryAcquire('b', 6000), 'renewed: not expired yet');
		t.like(await lease.current(), {holder: 'a', expiresAt: 1_011_000, acquiredAt: 1_000_000});
		now += 1001;
		t.true(await lease.tryAcquire('b', 6000), 'expired: b takes over');
		t.false(await lease.tryAcquire('a', 6000), 'a lost it');
		await lease.release('a');
		t.is((await lease.current())?.holder, 'b', 'only the holder can release');
		await lease.release('b');
		t.is(await lease.current(), undefined);
		t.true(await lease.tryAcquire('a', 6000));
	});

	test(`${backend.name}: contenders at once: exactly one wins`, async t => {
		const store = await openTestStore(t, backend);
		const lease = await openLeaderLease(store, 'race');
		const wins = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(async holder => lease.tryAcquire(holder, 5000)));
		t.is(wins.filter(Boolean).length, 1);
	});
}
