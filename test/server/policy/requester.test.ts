// Who is asking is established strictly: canonical ASCII addresses only.
import test from 'ava';
import {canonicalDomain, canonicalEmail, requesterFromWebex, requesterOf} from '../../../server/policy/requester.js';
import {startSandbox} from '../../../source/sandbox/index.js';
import {createWebexClient} from '../../../source/webex/client.js';

test('plain addresses fold to lower case in ASCII', t => {
	t.is(canonicalEmail('Kate@Globomantics.COM'), 'kate@globomantics.com');
	t.is(canonicalEmail("o'brien+ops@branch-42.globomantics.com"), "o'brien+ops@branch-42.globomantics.com");
	t.is(canonicalDomain('Globomantics.com'), 'globomantics.com');
});

test('a Kelvin sign is not a K: the address is refused, not folded into kate@', t => {
	t.is('\u212Aate@globomantics.com'.toLowerCase(), 'kate@globomantics.com', 'what Unicode lower-casing does');
	t.is(canonicalEmail('\u212Aate@globomantics.com'), undefined);
	t.is(canonicalEmail('kate@globomantics.\u212Aom'), undefined);
	t.is(canonicalEmail('kåte@globomantics.com'), undefined);
	t.is(canonicalEmail('kate@xn--globomantcs-8bc.com'), 'kate@xn--globomantcs-8bc.com', 'punycode is plain ASCII, and not the bank');
});

test('exactly one @: a second one is refused, not read as the last domain', t => {
	t.is(canonicalEmail('mallory@example.com@globomantics.com'), undefined);
	t.is(canonicalEmail('"mallory@example.com"@globomantics.com'), undefined, 'no quoted local parts');
	t.is(canonicalEmail('globomantics.com'), undefined);
	t.is(canonicalEmail('@globomantics.com'), undefined);
	t.is(canonicalEmail('kate@'), undefined);
});

test('anything else malformed is refused', t => {
	for (const bad of [' kate@globomantics.com', 'kate@globomantics.com ', 'ka te@globomantics.com', 'kate@localhost', 'kate@globomantics..com', 'kate@-globomantics.com', '.kate@globomantics.com', 'ka..te@globomantics.com', 'kate@globo_mantics.com', 'kate\u0000@globomantics.com', 'kate@globomantics.com\n', '', `${'k'.repeat(65)}@globomantics.com`]) {
		t.is(canonicalEmail(bad), undefined, JSON.stringify(bad));
	}
	t.is(canonicalEmail(undefined), undefined);
});

test('a requester keeps only a canonical address', t => {
	t.deepEqual(requesterOf('P1', 'Kate@Globomantics.com'), {personId: 'P1', email: 'kate@globomantics.com'});
	t.deepEqual(requesterOf('P2', 'mallory@example.com@globomantics.com'), {personId: 'P2'});
	t.deepEqual(requesterOf('P3', undefined), {personId: 'P3'});
});

test("the requester comes from Webex's message, else its person record, never from the envelope", async t => {
	const sandbox = await startSandbox();
	t.teardown(() => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const kate = sandbox.createPerson({displayName: 'Kate', email: 'Kate@Globomantics.com'});
	const kelvin = sandbox.createPerson({displayName: 'Not Kelly', email: '\u212Aelly@globomantics.com'});
	const webex = createWebexClient({baseUrl: sandbox.url, token: bot.token, retries: 0});
	t.deepEqual(await requesterFromWebex(webex.people, {personId: kate.person.id, personEmail: 'Kate@Globomantics.com'}), {personId: kate.person.id, email: 'kate@globomantics.com'});
	t.deepEqual(await requesterFromWebex(webex.people, {personId: kate.person.id}), {personId: kate.person.id, email: 'kate@globomantics.com'}, 'no personEmail: GET /people/{id}');
	t.deepEqual(await requesterFromWebex(webex.people, {personId: kelvin.person.id}), {personId: kelvin.person.id}, 'the person record is checked as strictly');
	t.deepEqual(await requesterFromWebex(webex.people, {personId: kate.person.id, personEmail: 'mallory@example.com@globomantics.com'}), {personId: kate.person.id}, "a malformed personEmail is refused, not replaced by a friendlier one");
});
