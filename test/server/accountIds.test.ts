import test from 'ava';
import {findAccountIds, maxAccountIds, questionText} from '../../server/accountIds.js';

const bot = {id: 'BOT-ID', displayName: 'globobot'};
const mention = (label = 'globobot', id = bot.id) => `<spark-mention data-object-type="person" data-object-id="${id}">${label}</spark-mention>`;
const group = (rest: string) => ({text: `globobot ${rest}`, html: `<p>${mention()} ${rest}</p>`});

test('the original demo examples, including both that failed there', t => {
	t.deepEqual(findAccountIds(group('acct100'), bot), ['ACCT100']);
	t.deepEqual(findAccountIds(group('hi, what is the balance for acct200'), bot), ['ACCT200']);
	t.deepEqual(findAccountIds(group('I need the acct100 balance'), bot), ['ACCT100']);
	t.deepEqual(findAccountIds(group('hi, what is the balance for acct300?'), bot), ['ACCT300']);
});

test('the seed capture (html without <p>)', t => {
	const message = {
		text: 'globobot acct100',
		html: '<spark-mention data-object-type="person" data-object-id="BOT-ID">globobot</spark-mention> acct100',
	};
	t.deepEqual(findAccountIds(message, bot), ['ACCT100']);
});

test('punctuation around ids is ignored; ids are upper-cased and de-duplicated', t => {
	t.deepEqual(findAccountIds({text: '(acct1), "ACCT2"; acct1! acct3.'}, bot), ['ACCT1', 'ACCT2', 'ACCT3']);
});

test('only whole words count', t => {
	t.deepEqual(findAccountIds({text: 'xacct100 acct100x acct_1 acct'}, bot), []);
});

test('at most ten ids', t => {
	const text = Array.from({length: 15}, (_, index) => `acct${index + 1}`).join(' ');
	const ids = findAccountIds({text}, bot);
	t.is(ids.length, maxAccountIds);
	t.is(ids[0], 'ACCT1');
	t.is(ids.at(-1), 'ACCT10');
});

test('no id: empty', t => {
	t.deepEqual(findAccountIds(group('hello there'), bot), []);
});

test('the bot mention is removed from html, other mentions stay as text', t => {
	const message = {html: `<p>${mention()} ask ${mention('Acct7', 'PERSON-2')} about acct9 &amp; more</p>`};
	t.is(questionText(message, bot), 'ask Acct7 about acct9 & more');
});

test('a bot whose name matches the pattern is not read as an account', t => {
	const acctBot = {id: 'B2', displayName: 'ACCT1'};
	t.deepEqual(findAccountIds({text: 'ACCT1 balance of acct2', html: `${mention('ACCT1', 'B2')} balance of acct2`}, acctBot), ['ACCT2']);
	t.deepEqual(findAccountIds({text: '@ACCT1 balance of acct2'}, acctBot), ['ACCT2']);
});

test('without html, the display name (or first name) at the start of text is removed', t => {
	t.is(questionText({text: 'globobot what about acct5'}, bot), 'what about acct5');
	t.is(questionText({text: 'Globo what about acct5'}, {id: 'x', displayName: 'Globo Bot'}), 'what about acct5');
	t.is(questionText({text: 'what about acct5'}, bot), 'what about acct5');
});

test('a configured pattern is used, case-insensitively', t => {
	t.deepEqual(findAccountIds({text: 'cust-12 and CUST-7'}, bot, 'CUST-\\d+'), ['CUST-12', 'CUST-7']);
	t.deepEqual(findAccountIds({text: 'acct100'}, bot, 'CUST-\\d+'), []);
});

test('ACCT\\-\\d+ (an escaped hyphen, valid in RE2 but not under the old "u" flag) finds its ids', t => {
	t.deepEqual(findAccountIds({text: 'balance of acct-12 and ACCT-7?'}, bot, 'ACCT\\-\\d+'), ['ACCT-12', 'ACCT-7']);
});

test('(?:[A-Z]+-?)+\\d{3}, catastrophic for a backtracking engine, answers correctly on long hostile text', t => {
	const pattern = '(?:[A-Z]+-?)+\\d{3}';
	// 45 characters stalled the old matcher for 23 s; these are 200 times longer. Correctness only: no timings.
	t.deepEqual(findAccountIds({text: `${'A-'.repeat(4500)}!`}, bot, pattern), []);
	t.deepEqual(findAccountIds({text: `${'AB-'.repeat(3000)}123 and x-cd-456`}, bot, pattern), [`${'AB-'.repeat(3000)}123`, 'X-CD-456']);
});

test('ids right next to each other, separated by one character, are all found', t => {
	t.deepEqual(findAccountIds({text: 'acct1,acct2 acct3'}, bot), ['ACCT1', 'ACCT2', 'ACCT3']);
});
