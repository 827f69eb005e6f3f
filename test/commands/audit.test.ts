// `globobot-admin audit …` (source/commands/audit.ts) on both backends: called
// directly for its output, and through the compiled CLI (npm run build) for
// exit codes and what reaches stderr.
import {existsSync} from 'node:fs';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import {type AuditOptions, run} from '../../source/commands/audit.js';
import {collectOutput} from '../../source/commands/output.js';
import {appendAuditEntry, auditTableExists, migrateAudit, recordAuditReplyIds} from '../../server/store/audit.js';
import {openSqlStore} from '../../server/store/open.js';
import {importAccounts} from '../../source/crm/import.js';
import type {SqlStore} from '../../source/sql/types.js';
import {decision, tamper} from '../helpers/audit.js';
import {runCli, tempHome} from '../helpers/cli.js';
import {backends} from '../helpers/databases.js';

const seedFile = path.resolve('fixtures/seed/accounts.json');
type Context = Parameters<typeof tempHome>[0];

/** A database holding the seed accounts (ACCT100 has a balance of 40.00) and decisions about them. */
async function trail(t: Context, url: string): Promise<SqlStore> {
	const store = await openSqlStore(url);
	t.teardown(async () => store.close());
	await importAccounts(store.database.accounts, seedFile);
	await migrateAudit(store);
	const at = (minute: number) => ({at: new Date(Date.UTC(2026, 10, 1, 9, minute))});
	await store.transaction(async tx => {
		await appendAuditEntry(tx, decision('msg-1', {accounts: [{id: 'ACCT100', outcome: 'shown'}, {id: 'ACCT200', outcome: 'shown'}]}), at(0));
		await appendAuditEntry(tx, decision('msg-2', {requesterEmail: 'bob@globomantics.com', requesterId: '=HYPERLINK("x"),1', reply: 'refusal', deliveredTo: 'thread', accounts: [{id: 'ACCT100', outcome: 'denied'}]}), at(1));
		await appendAuditEntry(tx, decision('msg-3', {roomType: 'direct', deliveredTo: 'direct', accounts: [{id: 'ACCT300', outcome: 'shown'}]}), at(2));
	});
	await store.transaction(async tx => recordAuditReplyIds(tx, 'msg-1', ['reply-dm-1', 'reply-thread-1'], at(3)));
	return store;
}

async function audit(options: AuditOptions): Promise<{code: number; output: string}> {
	const output = collectOutput();
	const code = await run(options, output);
	return {code, output: output.stdout};
}

// Amounts as any output of balances would show them: 40.00, -10.00, 0.00, 100, 60 …
const amountLike = /(?<![\w-])-?\d+\.\d{2}(?!\d)|\b(?:100|60|40|70)\b(?!\d)/;

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('list prints a table, --json and --csv, and none of them carries a figure'), async t => {
		const database = await backend.url(t);
		await trail(t, database);
		const table = await audit({action: 'list', database});
		t.is(table.code, 0);
		t.deepEqual(table.output.split('\n')[0]!.split(/\s{2,}/), ['SEQ', 'AT', 'PERSON', 'ROOM', 'REPLY', 'TO', 'SENT', 'ACCOUNTS']);
		t.regex(table.output, /^1 +2026-11-01T09:00:00Z +alice@globomantics\.com +group +balances +dm +2 +ACCT100 shown, ACCT200 shown$/m);
		t.regex(table.output, /^2 .* bob@globomantics\.com +group +refusal +thread +- +ACCT100 denied$/m);

		const json = JSON.parse((await audit({action: 'list', database, json: true})).output) as Array<Record<string, unknown>>;
		t.deepEqual(Object.keys(json[0]!), ['seq', 'at', 'eventId', 'source', 'requesterEmail', 'requesterId', 'roomId', 'roomType', 'accounts', 'reply', 'deliveredTo', 'replyIds', 'prevHash', 'hash']);
		t.like(json[0], {seq: 1, eventId: 'msg-1', deliveredTo: 'dm', replyIds: ['reply-dm-1', 'reply-thread-1'], accounts: [{id: 'ACCT100', outcome: 'shown'}, {id: 'ACCT200', outcome: 'shown'}]});

		const csv = (await audit({action: 'list', database, csv: true})).output;
		const lines = csv.split('\r\n');
		t.is(lines[0], 'seq,at,eventId,source,requesterEmail,requesterId,roomId,roomType,accounts,reply,deliveredTo,replyIds,prevHash,hash');
		t.is(lines.length, 5, 'header, three rows, and the final line break');
		t.true(lines[1]!.includes(',ACCT100:shown;ACCT200:shown,balances,dm,reply-dm-1;reply-thread-1,'));
		// A requester id that is a formula, with a comma and quotes: quoted, doubled, and defused.
		t.true(lines[2]!.includes(`,"'=HYPERLINK(""x""),1",`));

		for (const output of [JSON.stringify(json.map(({prevHash: _p, hash: _h, ...rest}) => rest)), csv.replace(/,[0-9a-f]{64}/g, ''), table.output]) {
			t.false(amountLike.test(output.replace(/2026-11-01T09:0\d:00(\.000)?Z/g, '')), output);
		}
	});

	test(name('list filters, and refuses bad filters with exit code 2'), async t => {
		const database = await backend.url(t);
		await trail(t, database);
		const seqs = async (options: Partial<AuditOptions>) => (JSON.parse((await audit({action: 'list', database, json: true, ...options})).output) as Array<{seq: number}>).map(entry => entry.seq);
		t.deepEqual(await seqs({account: 'acct100'}), [1, 2]);
		t.deepEqual(await seqs({account: 'ACCT100', outcome: 'denied'}), [2]);
		t.deepEqual(await seqs({person: 'BOB@globomantics.com'}), [2]);
		t.deepEqual(await seqs({since: '2026-11-01T09:01:00Z', until: '2026-11-01T10:02:00+01:00'}), [2]);
		t.deepEqual(await seqs({limit: '1'}), [3]);
		for (const [options, message] of [
			[{since: 'last week'}, /^--since must be a duration such as 1h or 7d, or an ISO time/],
			[{until: '2026-02-30'}, /^--until must be/],
			[{outcome: 'seen'}, /^--outcome must be one of shown, unknown, denied, throttled, crm-unavailable$/],
			[{limit: '0'}, /^--limit must be/],
			[{json: true, csv: true}, /^choose one of --json and --csv$/],
		] as const) {
			const error = await t.throwsAsync(audit({action: 'list', database, ...options}));
			t.regex(error!.message, message);
			t.is((error as {exitCode?: number}).exitCode, 2);
		}
	});

	test(name('the compiled CLI: verify exits 0 with the count and head, 1 naming a changed entry, 2 for a bad flag'), async t => {
		const home = tempHome(t);
		const database = await backend.url(t);
		const store = await trail(t, database);
		const env = {DATABASE_URL: database, GLOBOBOT_HOME: home};
		const good = await runCli(['audit', 'verify'], env);
		t.is(good.code, 0, good.stderr);
		t.regex(good.stdout, /^audit chain verifies: 4 entries, head entry 4 [0-9a-f]{64}\n$/);
		t.like(JSON.parse((await runCli(['audit', 'verify', '--json'], env)).stdout), {ok: true, entries: 4, headSeq: 4});
		const head = /head entry (\d+) ([0-9a-f]{64})/.exec(good.stdout)!;
		t.regex((await runCli(['audit', 'verify', '--head', `${head[1]}:${head[2]}`], env)).stdout, /\nentry 4 still has the recorded hash\n$/);
		const otherHead = await runCli(['audit', 'verify', '--head', `4:${'0'.repeat(64)}`], env);
		t.is(otherHead.code, 1);
		t.regex(otherHead.stderr, /audit chain broken at entry 4: altered \(its hash is not the one recorded earlier/);
		t.is((await runCli(['audit', 'verify', '--head', '4'], env)).code, 2);

		const bad = await runCli(['audit', 'list', '--since', 'soon'], env);
		t.is(bad.code, 2);
		t.regex(bad.stderr, /^globobot-admin: --since must be a duration such as 1h or 7d, or an ISO time .*\(got "soon"\)\n$/);

		await tamper(store, [["UPDATE audit_entries SET requester_email = 'mallory@globomantics.com' WHERE seq = 2"]]);
		const altered = await runCli(['audit', 'verify'], env);
		t.is(altered.code, 1);
		t.is(altered.stdout, '');
		t.regex(altered.stderr, /^globobot-admin: audit chain broken at entry 2: altered \(its hash does not match its contents\)\n$/);
		t.like(JSON.parse((await runCli(['audit', 'verify', '--json'], env)).stdout), {ok: false, seq: 2, problem: 'altered'});
		const refused = await runCli(['audit', 'prune', '--before', '2026-11-01T09:02:00Z'], env);
		t.is(refused.code, 1, 'prune refuses to remove evidence from a broken chain');
		t.regex(refused.stderr, /audit chain broken at entry 2: altered .*: not pruning/);
	});

	test(name('the compiled CLI: deleting a row, or forging one in its place, is named too'), async t => {
		const home = tempHome(t);
		const database = await backend.url(t);
		const store = await trail(t, database);
		const env = {DATABASE_URL: database, GLOBOBOT_HOME: home};
		await tamper(store, [['DELETE FROM audit_entries WHERE seq = 3']]);
		const removed = await runCli(['audit', 'verify'], env);
		t.is(removed.code, 1);
		t.regex(removed.stderr, /audit chain broken at entry 3: removed/);
		// A forged row in the removed one's place, linked to the entry before it.
		await tamper(store, [[`INSERT INTO audit_entries (seq, kind, at, event_id, source, requester_email, requester_id, room_id, room_type, accounts, reply, delivered_to, prev_hash, hash)
			SELECT 3, kind, at, 'forged', source, requester_email, requester_id, room_id, room_type, accounts, reply, delivered_to, hash, $1 FROM audit_entries WHERE seq = 2`, ['f'.repeat(64)]]]);
		const inserted = await runCli(['audit', 'verify'], env);
		t.is(inserted.code, 1);
		t.regex(inserted.stderr, /audit chain broken at entry 3: (inserted|altered)/);
	});

	test(name('the compiled CLI: export verifies on its own, prune keeps verify holding'), async t => {
		const home = tempHome(t);
		const database = await backend.url(t);
		await trail(t, database);
		const env = {DATABASE_URL: database, GLOBOBOT_HOME: home};
		const exported = await runCli(['audit', 'export', '--since', '2026-11-01T09:01:00Z'], env);
		t.is(exported.code, 0, exported.stderr);
		const lines = exported.stdout.trimEnd().split('\n');
		t.deepEqual(lines.map(line => (JSON.parse(line) as {seq: number}).seq), [2, 3, 4]);
		t.false(amountLike.test(exported.stdout.replace(/[0-9a-f]{64}/g, '').replace(/2026-11-01T09:0\d:00\.000Z/g, '')));
		const file = path.join(home, 'audit.jsonl');
		await writeFile(file, exported.stdout);
		const checked = await runCli(['audit', 'verify', '--file', file], env);
		t.is(checked.code, 0, checked.stderr);
		t.regex(checked.stdout, /^audit chain verifies: 3 entries, head entry 4 /);
		await writeFile(file, (await readFile(file, 'utf8')).replace('"reply":"refusal"', '"reply":"balances"'));
		const forged = await runCli(['audit', 'verify', '--file', file], env);
		t.is(forged.code, 1);
		t.regex(forged.stderr, /audit chain broken at entry 2: altered/);

		const pruned = await runCli(['audit', 'prune', '--before', '2026-11-01T09:02:00Z', '--json'], env);
		t.is(pruned.code, 0, pruned.stderr);
		t.like(JSON.parse(pruned.stdout), {removed: 2, before: '2026-11-01T09:02:00.000Z', checkpoint: {seq: 5, throughSeq: 2}});
		t.regex((await runCli(['audit', 'verify'], env)).stdout, /^audit chain verifies: 3 entries, head entry 5 /);
		t.deepEqual((JSON.parse((await runCli(['audit', 'list', '--json'], env)).stdout) as Array<{eventId: string}>).map(entry => entry.eventId), ['msg-3']);

		// Past GLOBOBOT_AUDIT_RETENTION when --before is left out.
		const retained = await runCli(['audit', 'prune'], {...env, GLOBOBOT_AUDIT_RETENTION: '1d'});
		t.is(retained.code, 0, retained.stderr);
		t.regex(retained.stdout, /^pruned 2 entries from before \S+ \(through entry 4\); checkpoint: entry 6\n$/);
		t.regex((await runCli(['audit', 'verify'], env)).stdout, /^audit chain verifies: 2 entries, head entry 6 /);
		const wrong = await runCli(['audit', 'prune'], {...env, GLOBOBOT_AUDIT_RETENTION: 'a year'});
		t.is(wrong.code, 2);
		t.is(wrong.stderr, 'globobot-admin: GLOBOBOT_AUDIT_RETENTION must be a duration such as 400d, 12h or 30m (got "a year")\n');
	});
}

test('sqlite: list, export and verify create nothing: no database file, no audit table', async t => {
	const home = tempHome(t);
	const missing = path.join(home, 'none.db');
	const none = await runCli(['audit', 'list'], {DATABASE_URL: missing, GLOBOBOT_HOME: home});
	t.is(none.code, 1);
	t.regex(none.stderr, /^globobot-admin: .+\n$/);
	t.false(existsSync(missing));
	const database = path.join(home, 'crm.db');
	const store = await openSqlStore(database);
	await store.close();
	const env = {DATABASE_URL: database, GLOBOBOT_HOME: home};
	t.is((await runCli(['audit', 'list'], env)).stdout, 'no audit entries match\n');
	t.is((await runCli(['audit', 'export'], env)).stdout, '');
	t.regex((await runCli(['audit', 'verify'], env)).stdout, /^audit chain verifies: 0 entries, head entry 0 0{64}\n$/);
	const reopened = await openSqlStore(database);
	t.teardown(async () => reopened.close());
	t.false(await auditTableExists(reopened));
});
