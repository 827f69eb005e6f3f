// A refusal says nothing: denied reads as unknown, the throttle notice has no figures.
import test from 'ava';
import {missCount, noAccountLine, refusalLines, throttledText, visibleAccounts} from '../../../server/policy/refusal.js';

const decisions = [
	{accountId: 'ACCT100', allowed: true, rule: 'grant kate@globomantics.com ACCT100'},
	{accountId: 'ACCT200', allowed: false, rule: 'default deny'},
	{accountId: 'ACCT999', allowed: false, rule: 'default deny'},
	{accountId: 'ACCT404', allowed: true, rule: 'grant kate@globomantics.com all'},
];
// ACCT200 exists but is denied; ACCT999 is denied and unknown; ACCT404 is allowed but unknown.
const found = new Map([
	['ACCT100', {balance: '40.00'}],
	['ACCT200', {balance: '-10.00'}],
]);

test('denied and unknown accounts get byte-identical lines', t => {
	const lines = refusalLines(decisions, found);
	t.deepEqual(lines, ['no account ACCT200', 'no account ACCT999', 'no account ACCT404']);
	t.is(Buffer.compare(Buffer.from(lines[0]!.replace('ACCT200', 'X')), Buffer.from(lines[2]!.replace('ACCT404', 'X'))), 0);
	t.is(noAccountLine('ACCT200'), 'no account ACCT200');
	t.is(missCount(decisions, found), 3);
});

test('only allowed, found accounts are visible', t => {
	t.deepEqual([...visibleAccounts(decisions, found)], [['ACCT100', {balance: '40.00'}]]);
});

test('the throttle notice gives a UTC time rounded up, and no figures', t => {
	t.is(throttledText(new Date('2026-12-01T09:05:00Z')), 'You have asked for many accounts in a short time; please try again after 09:05 UTC');
	t.is(throttledText(new Date('2026-12-01T23:59:01Z')), 'You have asked for many accounts in a short time; please try again after 00:00 UTC');
	t.notRegex(throttledText(new Date('2026-12-01T10:00:30Z')), /\d+\s*(?:ids|accounts|\/)|limit/i);
});
