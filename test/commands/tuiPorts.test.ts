// The TUI's ports (source/commands/tuiPorts.ts): the Access screen's grants,
// revokes and checks on both backends, through the same policy and parsers as
// `access`; DATABASE_URL opened only when a screen asks, and closed with the session.
import {existsSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {accessPort, lazyDatabase, once, parseAuditQuery} from '../../source/commands/tuiPorts.js';
import {startDemoSession, startWebexSession} from '../../source/commands/tui.js';
import {loadConfig} from '../../source/config.js';
import {grantsPolicy} from '../../server/policy/grants.js';
import {backends, openTestDatabase, sqliteUrl} from '../helpers/databases.js';

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('grant, list, check and revoke go through the grants policy the listener reads'), async t => {
		const database = await openTestDatabase(t, backend);
		const access = accessPort(async () => database.store, ['@globomantics.com']);
		t.true(await access.grant('kate@example.com', 'ACCT1*'));
		t.false(await access.grant('kate@example.com', 'ACCT1*'), 'a repeat is not new');
		t.true(await access.grant('@example.com', 'segment:branch-042'));
		t.deepEqual(await access.list(), [
			{subject: '@example.com', scope: 'segment:branch-042', source: 'stored'},
			{subject: 'kate@example.com', scope: 'ACCT1*', source: 'stored'},
			{subject: '@globomantics.com', scope: 'all', source: 'GLOBOBOT_ALLOW'},
		]);
		await database.accounts.upsertMany([{id: 'ACCT300', due: 1, paid: 0, currency: 'USD', segment: 'branch-042'}]);
		t.deepEqual(await access.check('kate@example.com', ['acct100', 'ACCT300', 'ACCT999']), [
			{accountId: 'ACCT100', allowed: true, rule: 'grant kate@example.com ACCT1*'},
			{accountId: 'ACCT300', allowed: true, rule: 'grant @example.com segment:branch-042', segment: 'branch-042'},
			{accountId: 'ACCT999', allowed: false, rule: 'default deny'},
		]);
		// What the port stored is what a listener's policy on the same database decides with.
		const listenerPolicy = await grantsPolicy(database.store);
		t.deepEqual(
			(await listenerPolicy.decide({personId: 'p', email: 'kate@example.com'}, [{id: 'ACCT100'}])).map(decision => decision.allowed),
			[true],
		);
		t.true(await access.revoke('kate@example.com', 'ACCT1*'));
		t.false(await access.revoke('kate@example.com', 'ACCT1*'), 'already gone');
		t.deepEqual(
			(await listenerPolicy.decide({personId: 'p', email: 'kate@example.com'}, [{id: 'ACCT100'}])).map(decision => decision.allowed),
			[false],
		);
	});
}

test('the parsers are access grant’s and access check’s: canonical forms, one-line errors', t => {
	const access = accessPort(async () => {
		throw new Error('not opened for parsing');
	}, []);
	t.deepEqual(access.parseSubject(' Kate@Globomantics.COM '), {ok: true, value: 'kate@globomantics.com'});
	t.deepEqual(access.parseSubject('@Globomantics.com'), {ok: true, value: '@globomantics.com'});
	t.deepEqual(access.parseSubject(''), {ok: false, error: 'a subject is required'});
	t.regex((access.parseSubject('mallory@example.com@globomantics.com') as {error: string}).error, /must be an email/);
	t.regex((access.parseSubject('\u212Aate@globomantics.com') as {error: string}).error, /must be an email/);
	t.deepEqual(access.parseScope('acct1*'), {ok: true, value: 'ACCT1*'});
	t.deepEqual(access.parseScope('Segment:Branch-042'), {ok: true, value: 'segment:branch-042'});
	t.regex((access.parseScope('***') as {error: string}).error, /write all/);
	t.deepEqual(access.parseEmail('Bob@Globomantics.com'), {ok: true, value: 'bob@globomantics.com'});
	t.regex((access.parseEmail('@globomantics.com') as {error: string}).error, /not a plain email address/);
	t.deepEqual(access.parseAccounts('acct100, ACCT200  acct100'), {ok: true, value: ['ACCT100', 'ACCT200']});
	t.regex((access.parseAccounts('acct/1') as {error: string}).error, /not an account id/);
	t.false(access.parseAccounts(' , ').ok);
});

test('once opens on first use only, and a failed open is tried again', async t => {
	let calls = 0;
	const open = once(async () => {
		calls++;
		if (calls === 1) throw new Error('down');
		return calls;
	});
	t.is(calls, 0);
	await t.throwsAsync(open(), {message: 'down'});
	t.is(await open(), 2);
	t.is(await open(), 2);
	t.is(calls, 2);
});

test('a Webex session opens DATABASE_URL only when the Access screen first asks, and closes it with the session', async t => {
	const databaseUrl = await sqliteUrl(t);
	const home = path.dirname(databaseUrl);
	const config = loadConfig({}, {WEBEX_TOKEN: 'token', DATABASE_URL: databaseUrl, GLOBOBOT_HOME: home, GLOBOBOT_ALLOW: '@globomantics.com', WEBHOOK_SECRET: 'a-secret-of-some-length'});
	const session = await startWebexSession(config, {withListener: false});
	t.false(existsSync(databaseUrl), 'not opened at start-up');
	t.deepEqual(await session.access?.list(), [{subject: '@globomantics.com', scope: 'all', source: 'GLOBOBOT_ALLOW'}]);
	t.true(existsSync(databaseUrl));
	await session.close();
});

test('lazyDatabase opens once, for every caller, and closes nothing it never opened', async t => {
	const databaseUrl = await sqliteUrl(t);
	await lazyDatabase(databaseUrl).close();
	t.false(existsSync(databaseUrl));
	const database = lazyDatabase(databaseUrl);
	const [first, second] = await Promise.all([database.open(), database.open()]);
	t.is(first, second);
	t.is(await database.store(), first.store);
	await database.close();
});

test('the demo session’s Access port is on the demo database: its people are GLOBOBOT_ALLOW grants of all', async t => {
	const session = await startDemoSession(loadConfig({}, {}), {withListener: false});
	t.teardown(async () => session.close());
	const grants = await session.access!.list();
	t.true(grants.length >= 2);
	t.true(grants.every(grant => grant.source === 'GLOBOBOT_ALLOW' && grant.scope === 'all'));
	const [alice] = grants;
	const [decision] = await session.access!.check(alice!.subject, ['acct100']);
	t.like(decision, {accountId: 'ACCT100', allowed: true, rule: `GLOBOBOT_ALLOW ${alice!.subject}`});
});

test('the Audit filter: an email is a person, person:ID a Webex person id, anything else an account; at most one of each', t => {
	t.deepEqual(parseAuditQuery(''), {ok: true, value: {}});
	t.deepEqual(parseAuditQuery(' Kate@Globomantics.com '), {ok: true, value: {person: 'kate@globomantics.com'}});
	t.deepEqual(parseAuditQuery('acct100'), {ok: true, value: {account: 'ACCT100'}});
	t.deepEqual(parseAuditQuery('acct100 kate@globomantics.com'), {ok: true, value: {person: 'kate@globomantics.com', account: 'ACCT100'}});
	t.deepEqual(parseAuditQuery('person:Y2lzY29zcGFyazovL3VzL1BFT1BMRS9r'), {ok: true, value: {person: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS9r'}});
	t.regex((parseAuditQuery('kate@example') as {error: string}).error, /not a plain email address/);
	t.regex((parseAuditQuery('\u212Aate@globomantics.com') as {error: string}).error, /not a plain email address/);
	t.regex((parseAuditQuery('acct/1') as {error: string}).error, /not an account id/);
	t.regex((parseAuditQuery('acct1 acct2') as {error: string}).error, /one account at a time/);
	t.regex((parseAuditQuery('a@example.com b@example.com') as {error: string}).error, /one person at a time/);
	t.false(parseAuditQuery('person:').ok);
});

test('the demo session’s Audit port shows a question asked in the demo chat, live from the embedded listener', async t => {
	const {waitFor} = await import('../helpers/poll.js');
	const session = await startDemoSession(loadConfig({}, {}), {withListener: true});
	t.teardown(async () => session.close());
	const {sandbox, world} = session.demo!;
	await sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'what is the balance for acct100 and acct999?'});
	const [entry] = await waitFor('the audit entry', async () => session.audit!.recent({limit: 10}), rows => rows.length > 0 && rows[0]!.replyIds.length > 0);
	t.like(entry, {requesterEmail: world.alice.person.emails[0], reply: 'balances', deliveredTo: 'direct', source: 'webhook'});
	t.deepEqual(entry!.accounts, [
		{id: 'ACCT100', outcome: 'shown'},
		{id: 'ACCT999', outcome: 'unknown'},
	]);
	t.deepEqual(Object.keys(entry!).sort(), ['accounts', 'at', 'deliveredTo', 'reply', 'replyIds', 'requesterEmail', 'requesterId', 'seq', 'source']);
	t.deepEqual(await session.audit!.recent({limit: 10, account: 'ACCT200'}), []);
});
