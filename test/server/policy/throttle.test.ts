// Both limits hit and recovered on a fake clock, shared by two replicas, a
// burst of questions sent at once held to the limit, and
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
			t.deepEqual(await throttle.take(kate, 10, `Q${question}`), {allowed: true});
			clock.advance(minute);
		}
		// 30 taken at 09:00, 09:01, 09:02: one more id waits until the 09:00 batch leaves, at 09:10.
		t.deepEqual(await throttle.take(kate, 1, 'Q3'), {allowed: false, limit: 'lookups', until: clock.at(10 * minute)});
		t.deepEqual(throttled, [{limit: 'lookups', until: clock.at(10 * minute)}], 'the listener hears of it');
		t.deepEqual(await throttle.take(bob, 10, 'B0'), {allowed: true}, 'per requester');
		clock.advance(7 * minute - 1);
		t.false((await throttle.take(kate, 1, 'Q4')).allowed, 'one millisecond early');
		clock.advance(1);
		t.deepEqual(await throttle.take(kate, 10, 'Q5'), {allowed: true}, 'recovered at 09:10');
		t.deepEqual(await throttle.take(kate, 1, 'Q6'), {allowed: false, limit: 'lookups', until: clock.at(11 * minute)}, 'full again: the next room is when the 09:01 batch leaves');
	});

	test(name('a refused take takes nothing, and a question taken again (a retry) takes nothing more'), async t => {
		const clock = fakeClock();
		const throttle = await throttleOn(t, await backend.url(t), {now: clock.now});
		t.true((await throttle.take(kate, 20, 'Q1')).allowed);
		t.false((await throttle.take(kate, 11, 'Q2')).allowed);
		clock.advance(minute);
		t.true((await throttle.take(kate, 20, 'Q1')).allowed, 'Q1 again, after the CRM did not answer: it holds its 20 already');
		t.true((await throttle.take(kate, 10, 'Q3')).allowed, 'so 10 are left, not 0, and the refused Q2 took none');
		t.false((await throttle.take(kate, 1, 'Q4')).allowed);
	});

	test(name('40 questions sent at once, one id each: exactly 30 pass, on one replica or two'), async t => {
		const url = await backend.url(t);
		const clock = fakeClock();
		const one = await throttleOn(t, url, {now: clock.now});
		const two = await throttleOn(t, url, {now: clock.now});
		const alone = await Promise.all(Array.from({length: 40}, async (_, index) => one.take(kate, 1, `K${index}`)));
		t.is(alone.filter(verdict => verdict.allowed).length, 30);
		const racing = await Promise.all(Array.from({length: 40}, async (_, index) => (index % 2 ? one : two).take(bob, 1, `B${index}`)));
		t.is(racing.filter(verdict => verdict.allowed).length, 30, 'two replicas racing on one database');
	});

	test(name('the misses limit: 10 unknown or denied ids per hour'), async t => {
		const clock = fakeClock();
		const throttle = await throttleOn(t, await backend.url(t), {now: clock.now});
		await throttle.recordMisses(kate, 4);
		clock.advance(20 * minute);
		await throttle.recordMisses(kate, 6);
		clock.advance(minute);
		t.deepEqual(await throttle.take(kate, 1, 'Q1'), {allowed: false, limit: 'misses', until: clock.at(60 * minute)});
		clock.advance(39 * minute);
		t.deepEqual(await throttle.take(kate, 1, 'Q2'), {allowed: true}, 'the first four left the window at 10:00');
	});

	test(name('over both limits, the later time is the one given'), async t => {
		const clock = fakeClock();
		const throttle = await throttleOn(t, await backend.url(t), {now: clock.now});
		t.true((await throttle.take(kate, 30, 'Q1')).allowed);
		await throttle.recordMisses(kate, 10);
		t.deepEqual(await throttle.take(kate, 1, 'Q2'), {allowed: false, limit: 'misses', until: clock.at(60 * minute)});
	});

	test(name('a question larger than the whole limit still passes an empty window'), async t => {
		const throttle = await throttleOn(t, await backend.url(t), {lookups: {max: 5, windowMs: minute}, now: fakeClock().now});
		t.true((await throttle.take(kate, 10, 'Q1')).allowed);
	});

	test(name('two replicas on one database share the counts, and unblock clears them for both'), async t => {
		const url = await backend.url(t);
		const clock = fakeClock();
		const one = await throttleOn(t, url, {now: clock.now});
		const two = await throttleOn(t, url, {now: clock.now});
		t.true((await one.take(kate, 10, 'Q1')).allowed);
		await one.recordMisses(kate, 5);
		t.true((await two.take(kate, 10, 'Q2')).allowed);
		await two.recordMisses(kate, 5);
		t.false((await one.take(kate, 1, 'Q3')).allowed);
		t.false((await two.take(kate, 1, 'Q4')).allowed);
		t.true(await two.unblock('Kate@Globomantics.com'));
		t.true((await one.take(kate, 10, 'Q5')).allowed);
		t.false(await one.unblock('bob@globomantics.com'), 'nothing to clear');
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
				const inWindow = () => answered.filter(entry => entry.at > clock.now() - limit.windowMs).reduce((total, entry) => total + entry.n, 0);
				for (const [index, {wait, wanted}] of questions.entries()) {
					clock.advance(wait);
					let verdict = await throttle.take(kate, wanted, `Q${index}`);
					if (!verdict.allowed) {
						// "Try again after" is neither early nor late: refused a millisecond before, taken at it.
						clock.advance(verdict.until.getTime() - 1 - clock.now());
						if ((await throttle.take(kate, wanted, `Q${index}`)).allowed) throw new Error('allowed before the time given');
						clock.advance(1);
						verdict = await throttle.take(kate, wanted, `Q${index}`);
						if (!verdict.allowed) throw new Error('still refused at the time given');
					}
					answered.push({at: clock.now(), n: wanted});
					if (inWindow() > limit.max) throw new Error(`${inWindow()} ids in one window`);
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
