import test from 'ava';
import {allowListPolicy, isAllowed} from '../../../server/policy/allowList.js';

test('an empty list allows nobody', t => {
	t.false(isAllowed('alice@example.com', []));
});

test('exact emails match case-insensitively', t => {
	t.true(isAllowed('Alice@Example.com', ['alice@example.com']));
	t.false(isAllowed('bob@example.com', ['alice@example.com']));
});

test('@domain entries match that domain only, not subdomains or look-alikes', t => {
	const list = ['@example.com'];
	t.true(isAllowed('bob@example.com', list));
	t.true(isAllowed('BOB@EXAMPLE.COM', list));
	t.false(isAllowed('bob@evil-example.com', list));
	t.false(isAllowed('bob@sub.example.com', list));
	t.false(isAllowed('example.com@evil.com', list));
});

test('* allows everyone with an address', t => {
	t.true(isAllowed('anyone@anywhere.org', ['*']));
	t.false(isAllowed(undefined, ['*']));
	t.false(isAllowed('', ['*']));
});

test('a missing or malformed requester email is refused', t => {
	t.false(isAllowed(undefined, ['@example.com']));
	t.false(isAllowed('not-an-address', ['@example.com']));
	t.false(isAllowed('@example.com', ['@example.com']));
});

test('as a Policy: who may ask, and one decision per account naming the rule', async t => {
	const policy = allowListPolicy(['@Example.com']);
	t.is(policy.description, 'allow list (1 entry)');
	t.true(await policy.mayAsk({personId: 'P1', email: 'bob@example.com'}));
	t.false(await policy.mayAsk({personId: 'P2', email: 'eve@evil.com'}));
	t.false(await policy.mayAsk({personId: 'P3'}));
	t.deepEqual(await policy.decide({personId: 'P1', email: 'bob@example.com'}, [{id: 'ACCT1'}, {id: 'ACCT2', segment: 'private'}]), [
		{accountId: 'ACCT1', allowed: true, rule: 'GLOBOBOT_ALLOW @example.com'},
		{accountId: 'ACCT2', allowed: true, rule: 'GLOBOBOT_ALLOW @example.com'},
	]);
	t.deepEqual(await policy.decide({personId: 'P2', email: 'eve@evil.com'}, [{id: 'ACCT1'}]), [{accountId: 'ACCT1', allowed: false, rule: 'default deny'}]);
	t.is(allowListPolicy([]).description, 'allow list (empty: nobody)');
});
