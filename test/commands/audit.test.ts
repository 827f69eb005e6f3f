// `globobot-admin audit …` (source/commands/audit.ts) on both backends: called
// directly for its output, and through the compiled CLI (npm run build) for
// exit codes and what reaches stderr.
import {execFile, spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import test from 'ava';
import {type AuditOptions, run} from '../../source/commands/audit.js';
import {collectOutput} from '../../source/commands/output.js';
import {type AuditEntry, appendAuditEntry, auditTableExists, exportLine, genesisHash, hashOf, migrateAudit, recordAuditReplyIds} from '../../server/store/audit.js';
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

type Env = Record<string, string>;

/** `audit export` (with `args`) written to `name` in `home`: its path and its lines. */
async function exportFile(env: Env, home: string, name: string, args: string[] = []): Promise<{file: string; lines: string[]}> {
	const exported = await runCli(['audit', 'export', ...args], env);
	if (exported.code !== 0) throw new Error(exported.stderr);
	const file = path.join(home, name);
	await writeFile(file, exported.stdout);
	return {file, lines: exported.stdout.trimEnd().split('\n')};
}

const verifyFile = async (env: Env, file: string, ...flags: string[]) => runCli(['audit', 'verify', '--file', file, ...flags], env);

/** The lines as entries, changed by `change`, then rehashed and relinked from the first changed on: a forgery that hashes right. */
function rechained(lines: readonly string[], change: (entry: Record<string, unknown>) => void): string {
	let prevHash: string | undefined;
	return lines
		.map(line => {
			const {hash, ...entry} = JSON.parse(line) as Record<string, unknown>;
			const before = JSON.stringify(entry);
			change(entry);
			if (prevHash !== undefined) entry['prevHash'] = prevHash;
			if (prevHash === undefined && JSON.stringify(entry) === before) return {...entry, hash} as unknown as AuditEntry;
			const rehashed = {...entry, hash: hashOf(entry as never)} as unknown as AuditEntry;
			prevHash = rehashed.hash;
			return rehashed;
		})
		.map(exportLine)
		.join('\n');
}

// The README's own verifier (its ```python block in "Audit trail"), run as an outsider would.
const python = spawnSync('python3', ['--version']).status === 0;
async function readmeScript(home: string): Promise<string> {
	const readme = await readFile('README.md', 'utf8');
	const section = readme.slice(readme.indexOf('## Audit trail'));
	const script = /```python\n([\s\S]*?)```/.exec(section)![1]!;
	const file = path.join(home, 'verify.py');
	await writeFile(file, script);
	return file;
}
const execFileAsync = promisify(execFile);
async function readmeVerdict(script: string, file: string, flags: string[]): Promise<number> {
	try {
		await execFileAsync('python3', [script, file, ...flags]);
		return 0;
	} catch (error) {
		return (error as {code?: number}).code ?? -1;
	}
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
		const refused = await runCli(['audit', 'prune', '--before', '2026-11-01T09:02:00Z', '--force'], env);
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
		const checked = await runCli(['audit', 'verify', '--file', file, '--partial'], env);
		t.is(checked.code, 0, checked.stderr);
		t.regex(checked.stdout, /^audit chain verifies: 3 entries, head entry 4 [0-9a-f]{64}\nthe file starts at entry 2: what came before it is not checked \(--partial\)\n$/);
		// Without --partial a file is the whole chain: one that starts after entry 1 lost its oldest entries.
		const whole = await runCli(['audit', 'verify', '--file', file], env);
		t.is(whole.code, 1);
		t.regex(whole.stderr, /^globobot-admin: audit chain broken at entry 1: removed \(entry 1 is missing: the file starts at entry 2 and no checkpoint in the file pruned them; an export --since file is verified with --partial\)\n$/);
		await writeFile(file, (await readFile(file, 'utf8')).replace('"reply":"refusal"', '"reply":"balances"'));
		const forged = await runCli(['audit', 'verify', '--file', file, '--partial'], env);
		t.is(forged.code, 1);
		t.regex(forged.stderr, /audit chain broken at entry 2: altered/);

		const pruned = await runCli(['audit', 'prune', '--before', '2026-11-01T09:02:00Z', '--force', '--json'], env);
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

	test(name('the compiled CLI: prune refuses entries inside GLOBOBOT_AUDIT_RETENTION unless --force; pruning everything leaves a chain that verifies and goes on'), async t => {
		const home = tempHome(t);
		const database = await backend.url(t);
		const store = await trail(t, database);
		const env = {DATABASE_URL: database, GLOBOBOT_HOME: home};
		const young = await runCli(['audit', 'prune', '--before', '1s'], env);
		t.is(young.code, 2);
		t.regex(young.stderr, /^globobot-admin: --before \S+ would prune entries younger than GLOBOBOT_AUDIT_RETENTION \(400d\); add --force to prune them anyway\n$/);
		t.regex((await runCli(['audit', 'verify'], env)).stdout, /^audit chain verifies: 4 entries, head entry 4 /, 'nothing was removed');

		// Everything pruned: the checkpoint alone is left, one seq past the old head, and verifies.
		const pruneEverything = async (removed: number, headSeq: number) => {
			const pruned = await runCli(['audit', 'prune', '--before', '1s', '--force', '--json'], env);
			t.is(pruned.code, 0, pruned.stderr);
			t.like(JSON.parse(pruned.stdout), {removed, checkpoint: {seq: headSeq + 1, throughSeq: headSeq}});
			const verified = await runCli(['audit', 'verify'], env);
			t.is(verified.code, 0, verified.stderr);
			t.regex(verified.stdout, new RegExp(`^audit chain verifies: 1 entries, head entry ${headSeq + 1} `));
		};
		await pruneEverything(4, 4);
		const {file} = await exportFile(env, home, 'left.jsonl');
		t.is((await verifyFile(env, file)).code, 0, 'the checkpoint vouches for the start of the export');

		// Later entries continue the sequence: no seq of an earlier export is used again.
		await store.transaction(async tx => appendAuditEntry(tx, decision('msg-4')));
		t.deepEqual((JSON.parse((await runCli(['audit', 'list', '--json'], env)).stdout) as Array<{seq: number}>).map(entry => entry.seq), [6]);
		t.regex((await runCli(['audit', 'verify'], env)).stdout, /^audit chain verifies: 2 entries, head entry 6 /);
		await pruneEverything(2, 6);
	});

	test(name('the compiled CLI: --head catches a truncated export, a wrong head, and a deleted newest entry'), async t => {
		const home = tempHome(t);
		const database = await backend.url(t);
		const store = await trail(t, database);
		const env = {DATABASE_URL: database, GLOBOBOT_HOME: home};
		const {headSeq, headHash} = JSON.parse((await runCli(['audit', 'verify', '--json'], env)).stdout) as {headSeq: number; headHash: string};
		const head = `${headSeq}:${headHash}`;
		const {file, lines} = await exportFile(env, home, 'all.jsonl');
		const same = await verifyFile(env, file, '--head', head);
		t.is(same.code, 0, same.stderr);
		t.regex(same.stdout, /\nentry 4 still has the recorded hash\n$/);

		await writeFile(file, lines.slice(0, -1).join('\n'));
		const truncated = await verifyFile(env, file, '--head', head);
		t.is(truncated.code, 1);
		t.regex(truncated.stderr, /^globobot-admin: audit chain broken at entry 4: removed \(it is the head recorded earlier \(--head\), and the file ends at entry 3: entries were cut from the newest end\)\n$/);
		await writeFile(file, lines.join('\n'));
		const wrong = await verifyFile(env, file, '--head', `4:${'0'.repeat(64)}`);
		t.is(wrong.code, 1);
		t.regex(wrong.stderr, /audit chain broken at entry 4: altered \(its hash is not the one recorded earlier \(--head\)/);
		const later = await exportFile(env, home, 'later.jsonl', ['--since', '2026-11-01T09:02:00Z']);
		const before = await verifyFile(env, later.file, '--partial', '--head', `2:${(JSON.parse(lines[1]!) as {hash: string}).hash}`);
		t.is(before.code, 1);
		t.regex(before.stderr, /audit chain broken at entry 2: removed \(.*the file starts after it, at entry 3/);

		await tamper(store, [['DELETE FROM audit_entries WHERE seq = 4']]);
		const cut = await runCli(['audit', 'verify', '--head', head], env);
		t.is(cut.code, 1);
		t.regex(cut.stderr, /^globobot-admin: audit chain broken at entry 4: removed \(it is the head recorded earlier \(--head\), and it is gone with no entry after it: the newest entries were cut off\)\n$/);
	});

	test(name('the compiled CLI: verify --file names an entry with a key added, keys reordered, or a number written otherwise'), async t => {
		const home = tempHome(t);
		const database = await backend.url(t);
		await trail(t, database);
		const env = {DATABASE_URL: database, GLOBOBOT_HOME: home};
		const {file, lines} = await exportFile(env, home, 'all.jsonl');
		t.is((await verifyFile(env, file)).code, 0);
		const second = JSON.parse(lines[1]!) as Record<string, unknown>;
		const {requesterId, roomId, ...rest} = second;
		for (const [changed, message] of [
			[lines[1]!.replace('"reply":', '"balance":"40.00","reply":'), /key "balance" is not part of a decision entry/],
			[lines[1]!.replace(/}$/, ',"text":"what is the balance of acct100?"}'), /key "text" is not part of a decision entry/],
			[JSON.stringify({...rest, roomId, requesterId}), /its keys are not in the canonical order/],
			[lines[1]!.replace('"seq":2,', '"seq":2.0,'), /a number is not written as a whole number/],
		] as const) {
			await writeFile(file, [lines[0], changed, ...lines.slice(2)].join('\n'));
			const verified = await verifyFile(env, file);
			t.is(verified.code, 1, changed);
			t.regex(verified.stderr, /^globobot-admin: audit chain broken at entry 2: altered \(it is not in the export format: /);
			t.regex(verified.stderr, message);
		}
	});

	test(name('the compiled CLI: verify --file holds an export to its checkpoint: without its oldest remaining entry it is named'), async t => {
		const home = tempHome(t);
		const database = await backend.url(t);
		await trail(t, database);
		const env = {DATABASE_URL: database, GLOBOBOT_HOME: home};
		t.is((await runCli(['audit', 'prune', '--before', '2026-11-01T09:02:00Z', '--force'], env)).code, 0);
		const {file, lines} = await exportFile(env, home, 'all.jsonl');
		t.deepEqual(lines.map(line => (JSON.parse(line) as {seq: number}).seq), [3, 4, 5]);
		const whole = await verifyFile(env, file);
		t.is(whole.code, 0, whole.stderr);
		t.regex(whole.stdout, /^audit chain verifies: 3 entries, head entry 5 [0-9a-f]{64}\n$/);
		await writeFile(file, lines.slice(1).join('\n'));
		const cut = await verifyFile(env, file);
		t.is(cut.code, 1);
		t.regex(cut.stderr, /^globobot-admin: audit chain broken at entry 3: removed \(entry 3 is missing: the file starts at entry 4 and checkpoint 5 pruned through entry 2; an export --since file is verified with --partial\)\n$/);
		t.is((await verifyFile(env, file, '--partial')).code, 0, 'an export --since may start anywhere');
	});

	test(name('list shows a tampered row whose accounts or reply ids cannot be read, and verify names it'), async t => {
		const database = await backend.url(t);
		const store = await trail(t, database);
		await tamper(store, [["UPDATE audit_entries SET accounts = 'not json' WHERE seq = 2"], ["UPDATE audit_entries SET reply_ids = 'null' WHERE seq = 4"]]);
		const table = await audit({action: 'list', database});
		t.is(table.code, 0);
		t.regex(table.output, /^1 +\S+ +alice@globomantics\.com +group +balances +dm +\(unreadable\) +ACCT100 shown, ACCT200 shown$/m);
		t.regex(table.output, /^2 .* bob@globomantics\.com +group +refusal +thread +- +\(unreadable\)$/m);
		t.regex(table.output, /^3 /m);
		const csv = (await audit({action: 'list', database, csv: true})).output.split('\r\n');
		t.true(csv[1]!.includes(',ACCT100:shown;ACCT200:shown,balances,dm,(unreadable),'));
		t.true(csv[2]!.includes(',group,(unreadable),refusal,'));
		const json = JSON.parse((await audit({action: 'list', database, json: true})).output) as Array<{accounts: unknown; replyIds: unknown}>;
		t.like(json[0], {replyIds: null});
		t.like(json[1], {accounts: null});
		t.like(JSON.parse((await audit({action: 'verify', database, json: true})).output), {ok: false, seq: 2, problem: 'altered'});
	});

	test(name('list and export refuse --until before --since with exit code 2'), async t => {
		const database = await backend.url(t);
		await trail(t, database);
		for (const action of ['list', 'export'] as const) {
			const error = await t.throwsAsync(audit({action, database, since: '2026-11-01T09:02:00Z', until: '2026-11-01T09:01:00Z'}));
			t.is(error!.message, '--until (2026-11-01T09:01:00.000Z) must be later than --since (2026-11-01T09:02:00.000Z)');
			t.is((error as {exitCode?: number}).exitCode, 2);
		}
	});

	(python ? test : test.skip)(name("the README's Python verifier and verify --file agree on real exports, intact and tampered"), async t => {
		const home = tempHome(t);
		const database = await backend.url(t);
		const store = await trail(t, database);
		const env = {DATABASE_URL: database, GLOBOBOT_HOME: home};
		const script = await readmeScript(home);
		const unpruned = await exportFile(env, home, 'unpruned.jsonl');
		t.is((await runCli(['audit', 'prune', '--before', '2026-11-01T09:01:00Z', '--force'], env)).code, 0);
		// An entry after the checkpoint: cutting it is the blind spot (cutting the checkpoint unanchors the start).
		await store.transaction(async tx => appendAuditEntry(tx, decision('msg-5')));
		const {lines} = await exportFile(env, home, 'all.jsonl');
		const {headSeq, headHash} = JSON.parse((await runCli(['audit', 'verify', '--json'], env)).stdout) as {headSeq: number; headHash: string};
		const head = `${headSeq}:${headHash}`;
		const cases: Array<[string, string, string[], number]> = [
			['intact, after a prune', lines.join('\n'), [], 0],
			['intact, from entry 1', unpruned.lines.join('\n'), [], 0],
			['intact, with the head', lines.join('\n'), [head], 0],
			['oldest remaining entry cut', lines.slice(1).join('\n'), [], 1],
			['oldest cut, as a partial export', lines.slice(1).join('\n'), ['--partial'], 0],
			['newest entry cut: the blind spot', lines.slice(0, -1).join('\n'), [], 0],
			['newest entries cut through the checkpoint', lines.slice(0, -2).join('\n'), [], 1],
			['newest entry cut, with the head', lines.slice(0, -1).join('\n'), [head], 1],
			['a key added', [lines[0]!.replace('"reply":', '"balance":"40.00","reply":'), ...lines.slice(1)].join('\n'), [], 1],
			['keys reordered', [JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(lines[0]!) as object).reverse())), ...lines.slice(1)].join('\n'), [], 1],
			['a number as 2.0', [lines[0]!.replace('"seq":2,', '"seq":2.0,'), ...lines.slice(1)].join('\n'), [], 1],
			['reply-sent moved to another decision, rehashed', rechained(unpruned.lines, entry => entry['kind'] === 'reply-sent' && (entry['decisionSeq'] = 3)), [], 1],
			['entry 1 detached from the genesis, rehashed', rechained(unpruned.lines, entry => entry['seq'] === 1 && (entry['prevHash'] = 'a'.repeat(64))), [], 1],
			['rehashed without a change', rechained(unpruned.lines, entry => entry['seq'] === 1 && (entry['prevHash'] = genesisHash)), [], 0],
		];
		for (const [title, text, flags, expected] of cases) {
			const file = path.join(home, 'case.jsonl');
			await writeFile(file, text + '\n');
			const tool = await verifyFile(env, file, ...flags.flatMap(flag => (flag.includes(':') ? ['--head', flag] : [flag])));
			t.is(tool.code, expected, `globobot-admin, ${title}: ${tool.stderr}`);
			t.is(await readmeVerdict(script, file, flags), expected, `the README's script, ${title}`);
		}
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

test('sqlite: flags are checked before the database: a bad one exits 2 even when there is no database', async t => {
	const home = tempHome(t);
	const missing = path.join(home, 'none.db');
	const env = {DATABASE_URL: missing, GLOBOBOT_HOME: home};
	for (const [args, message] of [
		[['audit', 'list', '--since', 'yesterday'], /^globobot-admin: --since must be a duration such as 1h or 7d, or an ISO time .*\(got "yesterday"\)\n$/],
		[['audit', 'export', '--since', '1h', '--until', '2h'], /^globobot-admin: --until \(\S+\) must be later than --since \(\S+\)\n$/],
		[['audit', 'prune', '--before', '1s'], /^globobot-admin: --before \S+ would prune entries younger than GLOBOBOT_AUDIT_RETENTION \(400d\); add --force to prune them anyway\n$/],
		[['audit', 'verify', '--head', '4'], /^globobot-admin: --head must be SEQ:HASH/],
		[['audit', 'verify', '--partial'], /^globobot-admin: --partial applies only to --file/],
	] as const) {
		const result = await runCli([...args], env);
		t.is(result.code, 2, args.join(' '));
		t.regex(result.stderr, message);
	}
	t.false(existsSync(missing), 'not even prune created the database');
});
