// The audit trail (server/store/audit.ts) on real SQLite and PostgreSQL
// databases: what goes in comes out exactly, nothing else goes in, and any
// change to the stored chain is found and named by verify.
import {execFile, spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync} from 'node:fs';
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {promisify} from 'node:util';
import test from 'ava';
import pg from 'pg';
import {
	type AuditDecision,
	AuditError,
	auditOnDecided,
	auditOnReplied,
	appendAuditEntry,
	accountOutcomes,
	checkRecordedHead,
	exportAudit,
	genesisHash,
	hashOf,
	listAudit,
	migrateAudit,
	pruneAudit,
	recordAuditReplyIds,
	verifyAudit,
	verifyEntries,
} from '../../../server/store/audit.js';
import type {Decision} from '../../../server/decision.js';
import {openSqlStore} from '../../../server/store/open.js';
import type {SqlStore, SqlValue} from '../../../source/sql/types.js';
import {decision, tamper} from '../../helpers/audit.js';
import {backends, postgresServerUrl} from '../../helpers/databases.js';
import {waitFor} from '../../helpers/poll.js';
import {openTestStore} from '../../helpers/stores.js';

const execFileAsync = promisify(execFile);

async function auditStore(t: Parameters<typeof openTestStore>[0], backend: (typeof backends)[number]): Promise<SqlStore> {
	const store = await openTestStore(t, backend);
	await migrateAudit(store);
	return store;
}

const append = (store: SqlStore, entry: AuditDecision, at?: Date) => store.transaction(async tx => appendAuditEntry(tx, entry, {at}));

async function appendMany(store: SqlStore, count: number, start = new Date('2026-01-01T00:00:00Z')): Promise<void> {
	for (let index = 0; index < count; index += 1) await append(store, decision(`msg-${index + 1}`), new Date(start.getTime() + index * 60_000));
}

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('every outcome, reply and destination comes back exactly as appended, reply ids included'), async t => {
		const store = await auditStore(t, backend);
		const decisions: AuditDecision[] = [
			decision('m1', {accounts: accountOutcomes.map((outcome, index) => ({id: `ACCT${index + 1}00`, outcome}))}),
			decision('m2', {roomType: 'direct', deliveredTo: 'direct', source: 'catch-up'}),
			decision('m3', {reply: 'help', accounts: [], deliveredTo: 'thread', source: 'websocket'}),
			decision('m4', {reply: 'refusal', accounts: [{id: 'ACCT200', outcome: 'denied'}], deliveredTo: 'thread', requesterEmail: null}),
			decision('m5', {reply: 'throttled', accounts: [{id: 'ACCT100', outcome: 'throttled'}], deliveredTo: 'thread'}),
			decision('m6', {reply: 'unavailable', accounts: [{id: 'ACCT300', outcome: 'crm-unavailable'}], deliveredTo: 'room'}),
		];
		const at = new Date('2026-03-01T09:00:00.000Z');
		for (const entry of decisions) await append(store, entry, at);
		await store.transaction(async tx => recordAuditReplyIds(tx, 'm1', ['reply-dm', 'reply-thread']));

		const listed = await listAudit(store);
		t.deepEqual(
			listed.map(({seq: _seq, hash: _hash, prevHash: _prev, ...rest}) => rest),
			decisions.map(entry => ({...entry, requesterEmail: entry.requesterEmail ?? null, at: at.toISOString(), replyIds: entry.eventId === 'm1' ? ['reply-dm', 'reply-thread'] : []})),
		);
		t.deepEqual(listed.map(entry => entry.seq), [1, 2, 3, 4, 5, 6]);
		t.is(listed[0]!.prevHash, genesisHash);
		t.is(listed[1]!.prevHash, listed[0]!.hash);
		const verified = await verifyAudit(store);
		t.deepEqual(verified, {ok: true, entries: 7, head: {seq: 7, hash: verified.ok ? verified.head.hash : ''}});
	});

	test(name('a second append for one event and repeated reply ids add nothing'), async t => {
		const store = await auditStore(t, backend);
		const first = await append(store, decision('m1'));
		t.deepEqual(await append(store, decision('m1', {reply: 'help'})), first);
		t.truthy(await store.transaction(async tx => recordAuditReplyIds(tx, 'm1', ['r1'])));
		// After a crash the replier records the same ids again, then the second message's.
		t.is(await store.transaction(async tx => recordAuditReplyIds(tx, 'm1', ['r1'])), undefined);
		const second = await store.transaction(async tx => recordAuditReplyIds(tx, 'm1', ['r1', 'r2']));
		t.deepEqual(second?.replyIds, ['r2']);
		t.deepEqual((await listAudit(store)).map(entry => [entry.eventId, entry.replyIds]), [['m1', ['r1', 'r2']]]);
		t.like(await verifyAudit(store), {ok: true, entries: 3});
		// An event decided before the trail existed: nothing to attach to, and the reply's transaction must not fail.
		t.is(await store.transaction(async tx => recordAuditReplyIds(tx, 'decided-before-the-trail', ['r3'])), undefined);
		t.like(await verifyAudit(store), {ok: true, entries: 3});
	});

	test(name("the replier's hooks: a Decision becomes its entry, a sent reply its reply-sent entry"), async t => {
		const store = await auditStore(t, backend);
		const decided: Decision = {
			eventId: 'msg-9',
			source: 'catch-up',
			requester: {personId: 'person-kate', email: 'kate@globomantics.com'},
			roomId: 'room-ops',
			roomType: 'group',
			accounts: [{id: 'ACCT100', outcome: 'shown'}, {id: 'ACCT999', outcome: 'unknown'}],
			reply: 'balances',
			deliveredTo: 'dm',
			decidedAt: Date.UTC(2026, 10, 30, 8, 0, 0),
		};
		await store.transaction(async tx => auditOnDecided(decided, tx));
		await store.transaction(async tx => auditOnReplied('msg-9', 'reply-dm', tx));
		await store.transaction(async tx => auditOnReplied('msg-9', 'reply-pointer', tx));
		const [entry] = await listAudit(store);
		t.like(entry, {eventId: 'msg-9', source: 'catch-up', requesterEmail: 'kate@globomantics.com', requesterId: 'person-kate', at: '2026-11-30T08:00:00.000Z', deliveredTo: 'dm', replyIds: ['reply-dm', 'reply-pointer']});
		t.deepEqual(entry!.accounts, decided.accounts);
		t.like(await verifyAudit(store), {ok: true, entries: 3});
	});

	test(name('an entry cannot hold figures or text: extra fields are left behind, bad ones refused'), async t => {
		const store = await auditStore(t, backend);
		const carrying = {...decision('m1'), balance: '40.00', text: 'what is the balance for acct100?', accounts: [{id: 'acct100', outcome: 'shown' as const, balance: '40.00 USD'}]};
		// @ts-expect-error -- the type refuses an object with more than the audited fields
		await store.transaction(async tx => appendAuditEntry(tx, carrying));
		const rows = await store.all<Record<string, unknown>>('SELECT * FROM audit_entries');
		t.false(JSON.stringify(rows).includes('40.00'));
		t.false(/balance for|"balance"/.test(JSON.stringify(rows)));
		t.deepEqual((await listAudit(store))[0]!.accounts, [{id: 'ACCT100', outcome: 'shown'}]);

		for (const bad of [
			decision('m2', {roomId: 'what is the balance'}),
			decision('m2', {requesterEmail: 'not an email'}),
			decision('m2', {accounts: [{id: 'ACCT 1', outcome: 'shown'}]}),
			decision('m2', {accounts: [{id: 'ACCT1', outcome: 'seen' as never}]}),
			decision('m2', {deliveredTo: 'email' as never}),
		]) {
			await t.throwsAsync(append(store, bad), {instanceOf: AuditError});
		}
		t.is((await listAudit(store)).length, 1, 'refused entries left nothing behind');
	});

	test(name('altering a row makes verify fail naming it'), async t => {
		const store = await auditStore(t, backend);
		await appendMany(store, 5);
		await tamper(store, [["UPDATE audit_entries SET accounts = $1 WHERE seq = 3", ['[{"id":"ACCT100","outcome":"denied"}]']]]);
		t.like(await verifyAudit(store), {ok: false, seq: 3, problem: 'altered'});
	});

	test(name('altering a row and recomputing its hash still names it'), async t => {
		const store = await auditStore(t, backend);
		await appendMany(store, 5);
		const [row] = await listAudit(store, {limit: 5});
		const forged = {...row!, kind: 'decision' as const, requesterEmail: 'mallory@globomantics.com'};
		await tamper(store, [['UPDATE audit_entries SET requester_email = $1, hash = $2 WHERE seq = $3', [forged.requesterEmail, hashOf(forged), row!.seq]]]);
		t.like(await verifyAudit(store), {ok: false, seq: row!.seq, problem: 'altered'});
	});

	test(name('a chain rewritten and rehashed from an entry on verifies, but a head recorded earlier shows it'), async t => {
		const store = await auditStore(t, backend);
		await appendMany(store, 4);
		const recorded = await verifyAudit(store);
		if (!recorded.ok) return t.fail();
		t.is(await checkRecordedHead(store, recorded.head.seq, recorded.head.hash), 'same');
		const entries = await listAudit(store);
		let prevHash = entries[0]!.hash;
		const statements: Array<[string, SqlValue[]]> = [];
		for (const entry of entries.slice(1)) {
			const rewritten = {...entry, kind: 'decision' as const, prevHash, requesterEmail: entry.seq === 2 ? 'mallory@globomantics.com' : entry.requesterEmail};
			const hash = hashOf(rewritten);
			statements.push(['UPDATE audit_entries SET requester_email = $1, prev_hash = $2, hash = $3 WHERE seq = $4', [rewritten.requesterEmail, prevHash, hash, entry.seq]]);
			prevHash = hash;
		}
		await tamper(store, statements);
		t.like(await verifyAudit(store), {ok: true, entries: 4}, 'the limit of any unkeyed chain');
		t.is(await checkRecordedHead(store, recorded.head.seq, recorded.head.hash), 'changed');
		await pruneAudit(store, new Date('2026-01-01T00:02:00Z'));
		t.is(await checkRecordedHead(store, 1, entries[0]!.hash), 'pruned');
		t.is(await checkRecordedHead(store, 2, 'f'.repeat(64)), 'changed', 'the checkpoint keeps the last pruned hash');
	});

	test(name('deleting a row makes verify fail naming it, renumbered or not'), async t => {
		const store = await auditStore(t, backend);
		await appendMany(store, 5);
		await tamper(store, [['DELETE FROM audit_entries WHERE seq = 2']]);
		t.like(await verifyAudit(store), {ok: false, seq: 2, problem: 'removed'});
		await tamper(store, [['UPDATE audit_entries SET seq = 2 WHERE seq = 3'], ['UPDATE audit_entries SET seq = 3 WHERE seq = 4'], ['UPDATE audit_entries SET seq = 4 WHERE seq = 5']]);
		t.like(await verifyAudit(store), {ok: false, seq: 2, problem: 'removed'});
	});

	test(name('inserting a row makes verify fail naming it'), async t => {
		const store = await auditStore(t, backend);
		await appendMany(store, 4);
		const before = (await listAudit(store)).find(entry => entry.seq === 2)!;
		const forged = {...decision('forged'), kind: 'decision' as const, seq: 3, at: '2026-01-01T00:01:30.000Z', requesterEmail: 'mallory@globomantics.com', accounts: [{id: 'ACCT100', outcome: 'shown' as const}], prevHash: before.hash};
		await tamper(store, [
			['UPDATE audit_entries SET seq = 5 WHERE seq = 4'],
			['UPDATE audit_entries SET seq = 4 WHERE seq = 3'],
			[
				`INSERT INTO audit_entries (seq, kind, at, event_id, source, requester_email, requester_id, room_id, room_type, accounts, reply, delivered_to, prev_hash, hash)
				VALUES ($1, 'decision', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
				[3, forged.at, forged.eventId, forged.source, forged.requesterEmail, forged.requesterId, forged.roomId, forged.roomType, JSON.stringify(forged.accounts), forged.reply, forged.deliveredTo, forged.prevHash, hashOf(forged)],
			],
		]);
		t.like(await verifyAudit(store), {ok: false, seq: 3, problem: 'inserted'});
	});

	test(name('the table refuses UPDATE and DELETE outside prune'), async t => {
		const store = await auditStore(t, backend);
		await appendMany(store, 2);
		await t.throwsAsync(store.run("UPDATE audit_entries SET requester_email = 'x@y.z' WHERE seq = 1"), {any: true, message: /audit entries cannot be changed/});
		await t.throwsAsync(store.run('DELETE FROM audit_entries WHERE seq = 1'), {any: true, message: /audit entries (are removed only by|cannot be changed)/});
		if (backend.name === 'postgres') await t.throwsAsync(store.run('TRUNCATE audit_entries'), {any: true, message: /audit entries cannot be changed/});
		t.like(await verifyAudit(store), {ok: true, entries: 2});
	});

	test(name('prune removes the oldest entries and leaves a checkpoint that verify starts from'), async t => {
		const store = await auditStore(t, backend);
		await appendMany(store, 10); // one a minute from 00:00
		await store.transaction(async tx => recordAuditReplyIds(tx, 'msg-5', ['r5'], {at: new Date('2026-01-01T00:10:00Z')}));
		const now = new Date('2026-02-01T00:00:00Z');
		const pruned = await pruneAudit(store, new Date('2026-01-01T00:05:00Z'), {now});
		t.is(pruned.removed, 5);
		t.like(pruned.checkpoint, {kind: 'prune', seq: 12, throughSeq: 5, removed: 5});
		t.deepEqual((await listAudit(store)).map(entry => entry.eventId), ['msg-6', 'msg-7', 'msg-8', 'msg-9', 'msg-10']);
		t.like(await verifyAudit(store), {ok: true, entries: 7, head: {seq: 12}});
		t.is((await pruneAudit(store, new Date('2026-01-01T00:05:00Z'), {now})).removed, 0, 'nothing more to remove');
		// A second prune past the first checkpoint still verifies.
		t.is((await pruneAudit(store, now, {now})).removed, 6, 'all but the first checkpoint, made at `now`');
		t.like(await verifyAudit(store), {ok: true, entries: 2, head: {seq: 13}});
		await append(store, decision('later'));
		t.like(await verifyAudit(store), {ok: true, entries: 3, head: {seq: 14}});
		await t.throwsAsync(pruneAudit(store, new Date(Date.now() + 86_400_000)), {instanceOf: AuditError});
	});

	test(name('after a prune, removing the first remaining entry is still found'), async t => {
		const store = await auditStore(t, backend);
		await appendMany(store, 6);
		await pruneAudit(store, new Date('2026-01-01T00:03:00Z'));
		await tamper(store, [['DELETE FROM audit_entries WHERE seq = 4']]);
		t.like(await verifyAudit(store), {ok: false, seq: 4, problem: 'removed'});
	});

	test(name('list filters by time, person, account, outcome and limit'), async t => {
		const store = await auditStore(t, backend);
		await append(store, decision('a', {accounts: [{id: 'ACCT100', outcome: 'shown'}]}), new Date('2026-01-01T10:00:00Z'));
		await append(store, decision('b', {requesterEmail: 'bob@globomantics.com', requesterId: 'bob-id', accounts: [{id: 'ACCT100', outcome: 'denied'}, {id: 'ACCT1_0', outcome: 'shown'}]}), new Date('2026-01-02T10:00:00Z'));
		await append(store, decision('c', {accounts: [{id: 'ACCT200', outcome: 'shown'}]}), new Date('2026-01-03T10:00:00Z'));
		const ids = async (filter: Parameters<typeof listAudit>[1]) => (await listAudit(store, filter)).map(entry => entry.eventId);
		t.deepEqual(await ids({since: new Date('2026-01-02T00:00:00Z')}), ['b', 'c']);
		t.deepEqual(await ids({until: new Date('2026-01-02T10:00:00Z')}), ['a']);
		t.deepEqual(await ids({person: 'Bob@Globomantics.com'}), ['b']);
		t.deepEqual(await ids({person: 'bob-id'}), ['b']);
		t.deepEqual(await ids({account: 'acct100'}), ['a', 'b']);
		t.deepEqual(await ids({account: 'ACCT1_0'}), ['b'], 'an _ in an id is not a wildcard');
		t.deepEqual(await ids({outcome: 'denied'}), ['b']);
		t.deepEqual(await ids({account: 'ACCT100', outcome: 'shown'}), ['a']);
		t.deepEqual(await ids({limit: 2}), ['b', 'c']);
	});

	test(name('an export from the middle verifies on its own'), async t => {
		const store = await auditStore(t, backend);
		await appendMany(store, 4);
		await store.transaction(async tx => recordAuditReplyIds(tx, 'msg-2', ['r2'], {at: new Date('2026-01-01T00:03:30Z')}));
		await store.transaction(async tx => recordAuditReplyIds(tx, 'msg-4', ['r4'], {at: new Date('2026-01-01T00:03:40Z')}));
		await append(store, decision('msg-5'), new Date('2026-01-01T00:05:00Z'));
		const exported = [];
		for await (const entry of exportAudit(store, {since: new Date('2026-01-01T00:02:00Z'), until: new Date('2026-01-01T00:05:00Z')})) exported.push(entry);
		t.deepEqual(exported.map(entry => entry.seq), [3, 4, 5, 6]);
		t.like(await verifyEntries(exported.map(entry => ({entry})), 'first'), {ok: true, entries: 4, head: {seq: 6}}, 'a reply-sent may name a decision from before the export');
		const parsed = exported.map(entry => ({entry: JSON.parse(JSON.stringify(entry)) as typeof entry}));
		parsed[1]!.entry.at = '2026-01-01T00:03:01.000Z';
		t.like(await verifyEntries(parsed, 'first'), {ok: false, seq: 4, problem: 'altered'});
		// An export that starts at entry 1 must start from the genesis, even when its own hash is right.
		const whole = [];
		for await (const entry of exportAudit(store)) whole.push(entry);
		const detached = {...whole[0]!, prevHash: 'a'.repeat(64)};
		t.like(await verifyEntries([{entry: {...detached, hash: hashOf(detached)}}], 'first'), {ok: false, seq: 1, problem: 'altered'});
		t.like(await verifyEntries(whole.map(entry => ({entry})), 'first'), {ok: true, entries: 7});
	});

	test(name('SIGKILL between decision and reply: after the restart the reply ids join the one entry'), async t => {
		const url = await backend.url(t);
		// node itself (not the tsx wrapper, which would leave its own child running): the process killed is the one that decided.
		const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/auditDecideThenHang.ts'), url, 'msg-killed'], {env: {...process.env, CI: 'true'}, stdio: ['ignore', 'pipe', 'inherit']});
		t.teardown(() => void child.kill('SIGKILL'));
		let said = '';
		child.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
		await waitFor('the decision', () => said, text => text.includes('decided'), 30_000);
		child.kill('SIGKILL');
		await once(child, 'exit');
		const store = await openSqlStore(url);
		t.teardown(async () => store.close());
		// The restarted replier finds the saved plan and sends; were it to decide again, nothing is added.
		await append(store, decision('msg-killed'));
		await store.transaction(async tx => recordAuditReplyIds(tx, 'msg-killed', ['reply-after-restart']));
		t.deepEqual((await listAudit(store)).map(entry => [entry.eventId, entry.replyIds]), [['msg-killed', ['reply-after-restart']]]);
		t.like(await verifyAudit(store), {ok: true, entries: 2});
	});

	test(name('two processes appending at once keep one valid chain'), async t => {
		const url = await backend.url(t);
		const setup = await openSqlStore(url);
		await migrateAudit(setup);
		await setup.close();
		const appender = path.resolve('test/helpers/auditAppender.ts');
		const tsx = path.resolve('node_modules/.bin/tsx');
		const gate = path.join(await mkdtemp(path.join(tmpdir(), 'globobot-audit-')), 'go');
		const running = Promise.all(['a', 'b'].map(async prefix => execFileAsync(tsx, [appender, url, prefix, '100', gate], {env: {...process.env, CI: 'true'}})));
		await waitFor('both appenders to be ready', () => existsSync(`${gate}.a`) && existsSync(`${gate}.b`), ready => ready, 30_000);
		await writeFile(gate, '');
		await running;
		const store = await openSqlStore(url);
		t.teardown(async () => store.close());
		t.like(await verifyAudit(store), {ok: true, entries: 200, head: {seq: 200}});
		const order = (await listAudit(store, {limit: 200})).map(entry => entry.eventId[0]).join('');
		t.is(order.length, 200);
		t.true((order.match(/ab|ba/g) ?? []).length >= 2, `the two appenders interleaved (${order})`);
	});
}

test('postgres: the documented insert-only role starts, appends and reads, and can never change or remove', async t => {
	const backend = backends.find(entry => entry.name === 'postgres');
	if (!backend) return t.pass('PostgreSQL not reachable');
	const url = await backend.url(t);
	const store = await openSqlStore(url);
	t.teardown(async () => store.close());
	await migrateAudit(store);
	await appendMany(store, 2);
	const schema = new URL(url).searchParams.get('schema')!;
	const database = new URL(postgresServerUrl).pathname.slice(1);
	const role = `globobot_audit_${randomBytes(4).toString('hex')}`;
	const admin = new pg.Client({connectionString: postgresServerUrl});
	await admin.connect();
	t.teardown(async () => {
		await admin.query(`DROP OWNED BY ${role}`).catch(() => undefined);
		await admin.query(`DROP ROLE IF EXISTS ${role}`);
		await admin.end();
	});
	// The README's recipe, with this test's database, schema and role names.
	for (const statement of [
		`CREATE ROLE ${role} LOGIN`,
		`GRANT CONNECT, CREATE ON DATABASE ${database} TO ${role}`,
		`GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${role}`,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
		`REVOKE UPDATE, DELETE, TRUNCATE ON ${schema}.audit_entries FROM ${role}`,
		`REVOKE INSERT, UPDATE, DELETE ON ${schema}.store_migrations, ${schema}.schema_migrations FROM ${role}`,
	]) {
		await admin.query(statement);
	}
	const roleUrl = new URL(url);
	roleUrl.username = role;
	roleUrl.password = '';
	// Starting up as the role: the migrations find nothing to do.
	const asListener = await openSqlStore(roleUrl.toString());
	try {
		await migrateAudit(asListener);
		t.is((await asListener.get<{user: string}>('SELECT current_user AS user'))?.user, role);
		await asListener.transaction(async tx => appendAuditEntry(tx, decision('as-listener')));
		t.like(await verifyAudit(asListener), {ok: true, entries: 3});
		for (const statement of ["UPDATE audit_entries SET requester_email = 'x@y.z'", 'DELETE FROM audit_entries', 'TRUNCATE audit_entries', 'ALTER TABLE audit_entries DISABLE TRIGGER USER', 'DROP TABLE audit_entries', "INSERT INTO store_migrations (name, applied_at) VALUES ('audit/2-later', 'now')"]) {
			await t.throwsAsync(asListener.run(statement), {any: true, message: /permission denied|must be owner/}, statement);
		}
		await t.throwsAsync(pruneAudit(asListener, new Date('2026-01-01T00:01:00Z')), {any: true, message: /permission denied/});
	} finally {
		await asListener.close();
	}
	t.like(await verifyAudit(store), {ok: true, entries: 3});
});
