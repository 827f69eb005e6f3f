// The throttle's counts on both backends: windows, forgetting, clearing.
import test from 'ava';
import {openThrottleStore} from '../../../server/store/throttle.js';
import {backends} from '../../helpers/databases.js';
import {openTestStore} from '../../helpers/stores.js';

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('counts inside a window come back oldest first, as numbers'), async t => {
		const counts = await openThrottleStore(await openTestStore(t, backend));
		const base = Date.UTC(2026, 11, 1, 9);
		await counts.add('kate@globomantics.com', [{kind: 'lookups', n: 3}, {kind: 'misses', n: 0}], base, 0);
		await counts.add('kate@globomantics.com', [{kind: 'lookups', n: 2}, {kind: 'misses', n: 1}], base + 1000, 0);
		await counts.add('bob@globomantics.com', [{kind: 'lookups', n: 9}], base + 1000, 0);
		t.deepEqual(await counts.since('kate@globomantics.com', 'lookups', base - 1), [{at: base, n: 3}, {at: base + 1000, n: 2}]);
		t.deepEqual(await counts.since('kate@globomantics.com', 'lookups', base), [{at: base + 1000, n: 2}], 'the window excludes its start');
		t.deepEqual(await counts.since('kate@globomantics.com', 'misses', 0), [{at: base + 1000, n: 1}], 'zero counts are not stored');
	});

	test(name('old rows are forgotten as new ones arrive, and clear forgets one requester'), async t => {
		const counts = await openThrottleStore(await openTestStore(t, backend));
		await counts.add('kate@globomantics.com', [{kind: 'lookups', n: 1}], 1000, 0);
		await counts.add('bob@globomantics.com', [{kind: 'lookups', n: 1}], 1000, 0);
		await counts.add('kate@globomantics.com', [{kind: 'lookups', n: 1}], 5000, 1000);
		t.deepEqual(await counts.since('kate@globomantics.com', 'lookups', 0), [{at: 5000, n: 1}]);
		t.is(await counts.clear('kate@globomantics.com'), 1);
		t.deepEqual(await counts.since('kate@globomantics.com', 'lookups', 0), []);
		t.is((await counts.since('bob@globomantics.com', 'lookups', 0)).length, 1);
	});
}
