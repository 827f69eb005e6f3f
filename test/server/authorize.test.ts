import test from 'ava';
import {isAllowed} from '../../server/authorize.js';

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
