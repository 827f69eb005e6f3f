import test from 'ava';
import fc from 'fast-check';
import {AccountPatternError, compileAccountPattern} from '../source/accountPattern.js';

test('patterns RE2 cannot run are refused, naming GLOBOBOT_ACCOUNT_PATTERN', t => {
	for (const source of ['(?<=x)ACCT\\d+', 'ACCT(\\d)\\1', 'x)|(y', '[', 'a*', '']) {
		const error = t.throws(() => compileAccountPattern(source), {instanceOf: AccountPatternError}, source);
		t.regex(error.message, /^GLOBOBOT_ACCOUNT_PATTERN /);
	}
});

test('a match is a whole word, case-insensitive, in order', t => {
	const pattern = compileAccountPattern('ACCT\\d+');
	t.deepEqual([...pattern.matches('xacct1 acct2 acct3x ACCT4? (acct5)')], ['acct2', 'ACCT4', 'acct5']);
});

test('every whole-word id in random text is found, whatever surrounds it', t => {
	const pattern = compileAccountPattern('ACCT\\d+');
	t.notThrows(() =>
		fc.assert(
		fc.property(fc.string({maxLength: 40}), fc.nat({max: 99_999}), fc.string({maxLength: 40}), (before, number, after) => {
			const text = `${before} acct${number} ${after}`;
			return [...pattern.matches(text)].map(id => id.toUpperCase()).includes(`ACCT${number}`);
		}),
		),
	);
});
