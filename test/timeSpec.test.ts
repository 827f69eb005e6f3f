import test from 'ava';
import {parseDuration, parseInstant} from '../source/timeSpec.js';

const now = new Date('2026-12-01T12:00:00.000Z');

test('durations: single and compound units, strictly', t => {
	t.is(parseDuration('400d', 'X'), 400 * 86_400_000);
	t.is(parseDuration('1h30m', 'X'), 90 * 60_000);
	t.is(parseDuration('2w', 'X'), 14 * 86_400_000);
	for (const bad of ['', '400', 'd', '1.5h', '-1d', '1 d', '1y', '0d', '99999999d']) t.throws(() => parseDuration(bad, 'GLOBOBOT_AUDIT_RETENTION'), {instanceOf: RangeError, message: /^GLOBOBOT_AUDIT_RETENTION must be/}, bad);
});

test('instants: a duration ago, an ISO date, an ISO time with its zone', t => {
	t.is(parseInstant('1h', '--since', now).toISOString(), '2026-12-01T11:00:00.000Z');
	t.is(parseInstant('2026-11-01', '--since', now).toISOString(), '2026-11-01T00:00:00.000Z');
	t.is(parseInstant('2026-11-01T09:30:00Z', '--since', now).toISOString(), '2026-11-01T09:30:00.000Z');
	t.is(parseInstant('2026-11-01T09:30:15.5+01:00', '--since', now).toISOString(), '2026-11-01T08:30:15.500Z');
	t.is(parseInstant('2026-11-01T09:30-05:30', '--since', now).toISOString(), '2026-11-01T15:00:00.000Z');
});

test('instants: anything Date.parse would guess at is refused, in one line', t => {
	for (const bad of ['yesterday', '1', 'March 7', '2026-02-30', '2026-13-01', '2026-11-01T09:30:00', '2026-11-01T24:00Z', '2026-11-01 09:30Z']) {
		const error = t.throws(() => parseInstant(bad, '--since', now), {instanceOf: RangeError});
		t.regex(error!.message, /^--since must be a duration such as 1h or 7d, or an ISO time/);
		t.false(error!.message.includes('\n'));
	}
});
