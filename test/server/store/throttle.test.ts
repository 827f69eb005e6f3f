// The throttle's counts on both backends: windows, forgetting, clearing, the question that took them.
import test from 'ava';
import {openThrottleStore, type ThrottleStore} from '../../../server/store/throttle.js';
import {backends} from '../../helpers/databases.js';
import {openTestStore} from '../../helpers/stores.js';

/** One limit's rows of a requester after `after`, as {at, n}. */
const since = async (counts: ThrottleStore, requester: string, kind: string, after: number) =>
	(await counts.recent(requester, after)).filter(row => row.kind === kind).map(({at, n}) => ({at, n}));

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('counts inside a window come back oldest first, as numbers'), async t => {
		const counts = await openThrottleStore(await openTestStore(t, backend));
		const base = Date.UTC(2026, 11, 1, 9);
		await counts.add('kate@globomantics.com', [{kind: 'lookups', n: 3}, {kind: 'misses', n: 0}], base, 0);
		await counts.add('kate@globomantics.com', [{kind: 'lookups', n: 2}, {kind: 'misses', n: 1}], base + 1000, 0);
		await counts.add('bob@globomantics.com', [{kind: 'lookups', n: 9}], base + 1000, 0);
		t.deepEqual(await since(counts, 'kate@globomantics.com', 'lookups', base - 1), [{at: base, n: 3}, {at: base + 1000, n: 2}]);
		t.deepEqual(await since(counts, 'kate@globomantics.com', 'lookups', base), [{at: base + 1000, n: 2}], 'the window excludes its start');
		t.deepEqual(await since(counts, 'kate@globomantics.com', 'misses', 0), [{at: base + 1000, n: 1}], 'zero counts are not stored');
	});

	test(name('old rows are forgotten as new ones arrive, and clear forgets one requester'), async t => {
		const counts = await openThrottleStore(await openTestStore(t, backend));
		await counts.add('kate@globomantics.com', [{kind: 'lookups', n: 1}], 1000, 0);
		await counts.add('bob@globomantics.com', [{kind: 'lookups', n: 1}], 1000, 0);
		await counts.add('kate@globomantics.com', [{kind: 'lookups', n: 1}], 5000, 1000);
		t.deepEqual(await since(counts, 'kate@globomantics.com', 'lookups', 0), [{at: 5000, n: 1}]);
		t.is(await counts.clear('kate@globomantics.com'), 1);
		t.deepEqual(await since(counts, 'kate@globomantics.com', 'lookups', 0), []);
		t.is((await since(counts, 'bob@globomantics.com', 'lookups', 0)).length, 1);
	});

	test(name('a row remembers the question that took it'), async t => {
		const counts = await openThrottleStore(await openTestStore(t, backend));
		await counts.add('kate@globomantics.com', [{kind: 'lookups', n: 2}], 1000, 0, undefined, 'MSG-1');
		await counts.add('kate@globomantics.com', [{kind: 'misses', n: 1}], 2000, 0);
		t.deepEqual(
			(await counts.recent('kate@globomantics.com', 0)).map(row => [row.kind, row.n, row.question]),
			[
				['lookups', 2, 'MSG-1'],
				['misses', 1, undefined],
			],
		);
	});
}
