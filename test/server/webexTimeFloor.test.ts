import test from 'ava';
import {createWebexTimeFloor} from '../../server/webexTimeFloor.js';

test('the tightest recent lower bound of Webex\'s time wins; none without an observation', t => {
	const clock = createWebexTimeFloor();
	t.is(clock.lowerBound(1_000_000), undefined);
	// Webex is 2 s ahead; the first answer took 300 ms to reach us, the second 5 ms.
	clock.observe(new Date(1_000_000 + 2000 - 300).toISOString(), 1_000_000);
	t.is(clock.lowerBound(1_000_000), 1_001_700);
	clock.observe(new Date(1_000_100 + 2000 - 5).toISOString(), 1_000_100);
	t.is(clock.lowerBound(1_000_200), 1_002_195);
	clock.observe(new Date(1_000_300).toISOString(), 1_000_300 + 60_000);
	t.is(clock.lowerBound(1_000_200), 1_002_195, 'a looser bound (an old message) does not replace a tighter one');
	clock.observe('not a time', 1_000_300);
	t.is(clock.lowerBound(1_000_200), 1_002_195);
});

test('an observation older than ten minutes is no longer trusted (the clocks may drift)', t => {
	const clock = createWebexTimeFloor();
	clock.observe(new Date(1_000_000).toISOString(), 1_000_000);
	t.is(clock.lowerBound(1_000_000 + 10 * 60_000), 1_000_000 + 10 * 60_000);
	t.is(clock.lowerBound(1_000_001 + 10 * 60_000), undefined);
	clock.observe(new Date(2_000_000 - 50).toISOString(), 2_000_000);
	t.is(clock.lowerBound(2_000_000), 1_999_950, 'a fresh one replaces a stale, even if looser');
});
