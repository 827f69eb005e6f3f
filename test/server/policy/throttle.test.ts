// Both limits hit and recovered on a fake clock, shared by two replicas, and
// the two GLOBOBOT_LIMIT_* settings as the configuration reads them.
import type {ExecutionContext} from 'ava';
import test from 'ava';
import fc from 'fast-check';
import {requesterOf} from '../../../server/policy/requester.js';
import {sqlThrottle, type LimitName, type ThrottleOptions} from '../../../server/policy/throttle.js';
import {openSqlStore} from '../../../server/store/open.js';
import {ConfigError, loadConfig} from '../../../source/config.js';
import {backends} from '../../helpers/databases.js';

const minute = 60_000;
const kate = requesterOf('PERSON-KATE', 'kate@globomantics.com');
const bob = requesterOf('PERSON-BOB', 'bob@globomantics.com');

/** A clock the test moves by hand. */
function fakeClock(start = Date.UTC(2026, 11, 1, 9, 0, 0)) {
	let now = start;
	return {now: () => now, advance: (ms: number) => (now += ms), at: (ms: number) => new Date(start + ms)};
}

async function throttleOn(t: ExecutionContext, url: string, options: Partial<ThrottleOptions>) {
	const store = await openSqlStore(url);
	t.teardown(async () => store.close());
	return sqlThrottle(store, {lookups: {max: 30, windowMs: 10 * minute}, misses: {max: 10, windowMs: 60 * minute}, ...options});
}

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('the lookups limit: 30 ids per 10 minutes, then a refusal until the oldest leave the window'), async t => {
		const clock = fakeClock();
		const throttled: Array<{limit: LimitName; until: Date}> = [];
		const throttle = await throttleOn(t, await backend.url(t), {now: clock.now, onThrottled: event => throttled.push(event)});
		for (let question = 0; question < 3; question++) {
			t.deepEqual(await throttle.check(kate, 10), {allowed: true});
			await throttle.record(kate, {looked: 10, misses: 0});
			clock.advance(minute);
		}
		// 30 used at 09:00, 09:01, 09:02: one more id waits until the 09:00 batch leaves, at 09:10.
		t.deepEqual(await throttle.check(kate, 1), {allowed: false, limit: 'lookups', until: clock.at(10 * minute)});
		t.deepEqual(throttled, [{limit: 'lookups', until: clock.at(10 * minute)}], 'the listener hears of it');
		t.deepEqual(await throttle.check(bob, 10), {allowed: true}, 'per requester');
		clock.advance(7 * minute - 1);
		t.false((await throttle.check(kate, 1)).allowed, 'one millisecond early');
		clock.advance(1);
		t.deepEqual(await throttle.check(kate, 10), {allowed: true}, 'recovered at 09:10');
		t.deepEqual(await throttle.check(kate, 11), {allowed: false, limit: 'lookups', until: clock.at(11 * minute)}, 'eleven need the 09:01 batch gone too');
	});

	test(name('the misses limit: 10 unknown or denied ids per hour'), async t => {
		const clock = fakeClock();
		const throttle = await throttleOn(t, await backend.url(t), {now: clock.now});
		await throttle.record(kate, {looked: 4, misses: 4});
		clock.advance(20 * minute);
		await throttle.record(kate, {looked: 6, misses: 6});
		clock.advance(minute);
		t.deepEqual(await throttle.check(kate, 1), {allowed: false, limit: 'misses', until: clock.at(60 * minute)});
		clock.advance(39 * minute);
		t.deepEqual(await throttle.check(kate, 1), {allowed: true}, 'the first four left the window at 10:00');
	});

	test(name('over both limits, the later time is the one given'), async t => {
		const clock = fakeClock();
		const throttle = await throttleOn(t, await backend.url(t), {now: clock.now});
		await throttle.record(kate, {looked: 30, misses: 10});
		t.deepEqual(await throttle.check(kate), {allowed: false, limit: 'misses', until: clock.at(60 * minute)});
	});

	test(name('a question larger than the whole limit still passes an empty window'), async t => {
		const throttle = await throttleOn(t, await backend.url(t), {lookups: {max: 5, windowMs: minute}, now: fakeClock().now});
		t.true((await throttle.check(kate, 10)).allowed);
	});

	test(name('two replicas on one database share the counts, and unblock clears them for both'), async t => {
		const url = await backend.url(t);
		const clock = fakeClock();
		const one = await throttleOn(t, url, {now: clock.now});
		const two = await throttleOn(t, url, {now: clock.now});
		await one.record(kate, {looked: 10, misses: 5});
		await two.record(kate, {looked: 10, misses: 5});
		t.false((await one.check(kate)).allowed);
		t.false((await two.check(kate)).allowed);
		t.true(await two.unblock('Kate@Globomantics.com'));
		t.true((await one.check(kate, 10)).allowed);
		t.false(await one.unblock('kate@globomantics.com'), 'nothing left to clear');
		await t.throwsAsync(one.unblock('\u212Aate@globomantics.com'), {instanceOf: TypeError});
	});
}

for (const backend of backends) {
	test(`${backend.name}: property: no window ever holds more lookups than the limit, and the given time is exact`, async t => {
		const limit = {max: 30, windowMs: 10 * minute};
		await fc.assert(
			fc.asyncProperty(fc.array(fc.record({wait: fc.integer({min: 0, max: 4 * minute}), wanted: fc.integer({min: 1, max: 10})}), {minLength: 1, maxLength: 25}), async questions => {
				const clock = fakeClock();
				const throttle = await throttleOn(t, await backend.url(t), {lookups: limit, misses: {max: 1000, windowMs: minute}, now: clock.now});
				const answered: Array<{at: number; n: number}> = [];
				for (const {wait, wanted} of questions) {
					clock.advance(wait);
					const verdict = await throttle.check(kate, wanted);
					if (verdict.allowed) {
						await throttle.record(kate, {looked: wanted, misses: 0});
						answered.push({at: clock.now(), n: wanted});
						const inWindow = answered.filter(entry => entry.at > clock.now() - limit.windowMs).reduce((total, entry) => total + entry.n, 0);
						if (inWindow > limit.max) throw new Error(`${inWindow} ids in one window`);
						continue;
					}
					// "Try again after" is neither early nor late: refused a millisecond before, answered at it.
					const back = clock.now();
					const until = verdict.until.getTime();
					clock.advance(until - 1 - back);
					if ((await throttle.check(kate, wanted)).allowed) throw new Error('allowed before the time given');
					clock.advance(1);
					if (!(await throttle.check(kate, wanted)).allowed) throw new Error('still refused at the time given');
					clock.advance(back - clock.now());
				}
			}),
			{numRuns: 15},
		);
		t.pass();
	});
}

test('GLOBOBOT_LIMIT_LOOKUPS and GLOBOBOT_LIMIT_MISSES default to 30/10m and 10/1h', t => {
	const config = loadConfig({}, {GLOBOBOT_HOME: '/tmp/globobot-unused'});
	t.deepEqual(config.limitLookups, {max: 30, windowMs: 10 * minute});
	t.deepEqual(config.limitMisses, {max: 10, windowMs: 60 * minute});
	const custom = loadConfig({}, {GLOBOBOT_HOME: '/tmp/globobot-unused', GLOBOBOT_LIMIT_LOOKUPS: '100 / 1d', GLOBOBOT_LIMIT_MISSES: '3/h'});
	t.deepEqual([custom.limitLookups, custom.limitMisses], [{max: 100, windowMs: 24 * 60 * minute}, {max: 3, windowMs: 60 * minute}]);
});

test('a malformed limit is a one-line configuration error', t => {
	for (const bad of ['30', '30/10', '0/10m', '30/0m', '-1/1h', '30/10x', 'ten/1h', '30/500ms']) {
		const error = t.throws(() => loadConfig({}, {GLOBOBOT_HOME: '/tmp/globobot-unused', GLOBOBOT_LIMIT_MISSES: bad}), {instanceOf: ConfigError}, bad);
		t.is(error!.message, 'GLOBOBOT_LIMIT_MISSES must look like 30/10m: a count of at least 1, "/", then a window in s, m, h or d');
	}
});
