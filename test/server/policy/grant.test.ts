// Subjects and scopes: one canonical text each, malformed ones refused in one line.
import test from 'ava';
import {GrantSyntaxError, parseScope, parseSubject, scopeCovers, subjectCovers} from '../../../server/policy/grant.js';

test('subjects are an email, an @domain or *, canonical', t => {
	t.is(parseSubject('Kate@Globomantics.com'), 'kate@globomantics.com');
	t.is(parseSubject('@Globomantics.COM'), '@globomantics.com');
	t.is(parseSubject('*'), '*');
});

test('malformed subjects are refused with one line', t => {
	for (const bad of ['\u212Aate@globomantics.com', 'mallory@example.com@globomantics.com', '@', '@localhost', 'kate', '**', 'everyone', '', '@globo\nmantics.com']) {
		const error = t.throws(() => parseSubject(bad), {instanceOf: GrantSyntaxError}, JSON.stringify(bad));
		t.false(error!.message.includes('\n'), 'one line');
	}
});

test('scopes are all, an id, a pattern or a segment, canonical', t => {
	t.is(parseScope('ALL'), 'all');
	t.is(parseScope('acct100'), 'ACCT100');
	t.is(parseScope('acct1*'), 'ACCT1*');
	t.is(parseScope('*-EU'), '*-EU');
	t.is(parseScope('Segment:Branch 042'), 'segment:branch 042');
});

test('malformed scopes are refused with one line', t => {
	for (const bad of ['', '*', '**', 'ACCT 100', 'acct1?', 'segment:', 'segment: north', 'segment:\u212Aelvin', 'ACCT100\n', 'ÄCCT1', `${'A'.repeat(65)}`]) {
		const error = t.throws(() => parseScope(bad), {instanceOf: GrantSyntaxError}, JSON.stringify(bad));
		t.false(error!.message.includes('\n'), 'one line');
	}
});

test('scopes cover ids, patterns and segments exactly', t => {
	t.true(scopeCovers('all', {id: 'ACCT1'}));
	t.true(scopeCovers('ACCT100', {id: 'ACCT100'}));
	t.false(scopeCovers('ACCT100', {id: 'ACCT1000'}));
	t.true(scopeCovers('ACCT1*', {id: 'ACCT1'}));
	t.true(scopeCovers('ACCT1*', {id: 'ACCT199'}));
	t.false(scopeCovers('ACCT1*', {id: 'ACCT200'}));
	t.false(scopeCovers('A.C*', {id: 'ABC1'}), 'a dot is a dot, not any character');
	t.true(scopeCovers('segment:branch-042', {id: 'ACCT1', segment: 'Branch-042'}));
	t.false(scopeCovers('segment:branch-042', {id: 'ACCT1', segment: 'branch-043'}));
	t.false(scopeCovers('segment:branch-042', {id: 'ACCT1'}));
	t.false(scopeCovers('segment:kelvin', {id: 'ACCT1', segment: '\u212Aelvin'}), 'a non-ASCII segment matches no grant');
	t.false(scopeCovers('segment:null', {id: 'ACCT1', segment: null as unknown as string}), "a source's NULL is no segment, not the text null");
});

test('subjects cover their person, their domain (not subdomains), and * anyone with an address', t => {
	t.true(subjectCovers('kate@globomantics.com', 'kate@globomantics.com'));
	t.true(subjectCovers('@globomantics.com', 'kate@globomantics.com'));
	t.false(subjectCovers('@globomantics.com', 'kate@ops.globomantics.com'));
	t.true(subjectCovers('*', 'kate@globomantics.com'));
	t.false(subjectCovers('*', undefined), 'no established address: nobody covers it');
});
