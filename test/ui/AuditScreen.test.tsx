// The Audit screen through the App, on a real SQLite database holding a real
// audit trail (appendAuditEntry, as the replier writes it) and the tui
// command's audit port: entries appear live, / filters by person and account,
// keys one at a time and in bursts, at 80×24 and 60×20.
import test, {type ExecutionContext} from 'ava';
import {appendAuditEntry, migrateAudit, recordAuditReplyIds} from '../../server/store/audit.js';
import {auditPort} from '../../source/commands/tuiPorts.js';
import type {Database} from '../../source/crm/types.js';
import {decision} from '../helpers/audit.js';
import {openTestDatabase, sqliteBackend} from '../helpers/databases.js';
import {keys, plain, press, type, waitForFrame, waitForText} from '../helpers/ink.js';
import {overlong, renderApp, resize, startSandboxOnly} from './sandboxApp.js';

const kate = {requesterEmail: 'kate@globomantics.com', requesterId: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS9rYXRl'};

async function append(database: Database, eventId: string, overrides: Parameters<typeof decision>[1] = {}) {
	await database.store.transaction(async tx => appendAuditEntry(tx, decision(eventId, overrides)));
}

async function start(t: ExecutionContext, {columns = 80, rows = 24, migrate = true} = {}) {
	const database = await openTestDatabase(t, sqliteBackend);
	if (migrate) await migrateAudit(database.store);
	const audit = auditPort(async () => database.store);
	const {sandbox, client} = await startSandboxOnly(t);
	const ui = renderApp(t, client, sandbox, {audit, notice: 'This is the sandbox, a local Webex. For a real bot set WEBEX_TOKEN and PUBLIC_URL, then run globobot-admin again.'});
	resize(ui, columns, rows);
	await waitForText(ui.lastFrame, 'No webhooks yet');
	return {database, audit, ui, lastFrame: ui.lastFrame, stdin: ui.stdin};
}

/** Entry lines of the table (the rows starting with a seq), top to bottom. */
const seqs = (frame: string) =>
	frame
		.split('\n')
		.map(line => /^│ [❯› ] (\d+)\s/.exec(line)?.[1])
		.filter((seq): seq is string => seq !== undefined)
		.map(Number);

// A figure would be an amount: digits with two decimals (not a time's milliseconds), or a currency.
const figure = /(?<![\d:.])\d+\.\d\d(?!\d)|\b(?:USD|EUR)\b/;

test('L opens the newest decisions, newest first: requester, reply and where it went, each account’s outcome', async t => {
	const {database, lastFrame, stdin} = await start(t);
	await append(database, 'msg-1', {accounts: [{id: 'ACCT100', outcome: 'shown'}, {id: 'ACCT200', outcome: 'denied'}, {id: 'ACCT999', outcome: 'unknown'}]});
	await append(database, 'msg-2', {...kate, roomType: 'direct', deliveredTo: 'direct', reply: 'throttled', accounts: [{id: 'ACCT300', outcome: 'throttled'}]});
	await append(database, 'msg-3', {requesterEmail: null, reply: 'help', deliveredTo: 'thread', accounts: []});
	await database.store.transaction(async tx => recordAuditReplyIds(tx, 'msg-1', ['Y2lzY29zcGFyazovL3VzL01FU1NBR0UvMQ', 'Y2lzY29zcGFyazovL3VzL01FU1NBR0UvMg']));

	await press(stdin, 'L');
	let frame = await waitForText(lastFrame, '3 decisions');
	t.regex(frame, /SEQ\s+TIME\s+REQUESTER\s+REPLY→TO\s+ACCOUNTS/);
	t.deepEqual(seqs(frame), [3, 2, 1], 'newest first (seq 4 is msg-1’s reply ids, not a decision)');
	t.regex(frame, /❯ 3\s+\d\d:\d\d:\d\d person:Y2lzY29zcGFy.*help→thread\s+—/);
	t.regex(frame, /2\s+\d\d:\d\d:\d\d kate@globomantics\.c…\s+throttled→dire…\s+ACCT300 throttled/);
	t.regex(frame, /1\s+\d\d:\d\d:\d\d alice@globomantics\.…\s+balances→dm\s+ACCT100 shown, ACCT200/);
	t.regex(frame.split('\n').at(-1) ?? '', /\/ filter\s+Esc back\s+\? help\s+q quit/);
	t.notRegex(frame, figure);

	// The selected entry in full under the table.
	await press(stdin, 'G');
	frame = await waitForText(lastFrame, /❯ 1\s/);
	t.regex(frame, /#1 \d{4}-\d\d-\d\dT[\d:.]+Z · balances → dm · 2 messages sent · via webhook/);
	t.regex(frame, /ACCT100 shown, ACCT200 denied, ACCT999 unknown/);
	await press(stdin, keys.escape);
	await waitForText(lastFrame, 'No webhooks yet');
});

test('entries appear live; a cursor moved down stays on its entry, one at the top follows the newest', async t => {
	const {database, lastFrame, stdin} = await start(t);
	await press(stdin, 'L');
	await waitForText(lastFrame, 'No decisions recorded yet');

	await append(database, 'msg-1');
	let frame = await waitForText(lastFrame, '1 decision');
	t.deepEqual(seqs(frame), [1]);
	await append(database, 'msg-2', kate);
	frame = await waitForText(lastFrame, '2 decisions');
	t.regex(frame, /❯ 2\s+\S+ kate@globomantics/, 'at the top, the cursor is on the newest');

	await press(stdin, 'j');
	await waitForText(lastFrame, /❯ 1\s/);
	await append(database, 'msg-3');
	frame = await waitForText(lastFrame, '3 decisions');
	t.deepEqual(seqs(frame), [3, 2, 1]);
	t.regex(frame, /❯ 1\s/, 'moved down, the cursor stayed on its entry');
});

test('/ filters by person, by account or both; a bad filter is said under the field; an empty one shows all', async t => {
	const {database, lastFrame, stdin} = await start(t);
	await append(database, 'msg-1', {accounts: [{id: 'ACCT100', outcome: 'shown'}]});
	await append(database, 'msg-2', {...kate, accounts: [{id: 'ACCT100', outcome: 'denied'}, {id: 'ACCT200', outcome: 'shown'}]});
	await append(database, 'msg-3', {...kate, accounts: [{id: 'ACCT300', outcome: 'unknown'}]});
	await press(stdin, 'L');
	await waitForText(lastFrame, '3 decisions');

	await press(stdin, '/');
	let frame = await waitForText(lastFrame, 'Filter: a person, an account, or both');
	t.regex(frame.split('\n').at(-1) ?? '', /Enter apply\s+Esc cancel/);
	await type(stdin, 'Kate@Globomantics');
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, 'is not a plain email address');
	await type(stdin, '.com');
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, '2 decisions · person kate@globomantics.com');
	t.deepEqual(seqs(frame), [3, 2]);

	// Filtered and live: a new entry of kate's appears, another person's does not.
	await append(database, 'msg-4', {accounts: [{id: 'ACCT100', outcome: 'shown'}]});
	await append(database, 'msg-5', {...kate, accounts: [{id: 'ACCT100', outcome: 'shown'}]});
	frame = await waitForText(lastFrame, '3 decisions · person kate@globomantics.com');
	t.deepEqual(seqs(frame), [5, 3, 2]);

	// Both: kate's entries about ACCT100.
	await press(stdin, '/');
	await waitForText(lastFrame, 'Filter:');
	await type(stdin, ' acct100');
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, /2 decisions · person kate@globomantics\.com and acc/);
	t.deepEqual(seqs(frame), [5, 2]);

	// Only the account, by a person id: Ctrl-U empties the field first.
	await press(stdin, '/');
	await waitForText(lastFrame, 'Filter:');
	await press(stdin, '\u0015');
	await type(stdin, 'ACCT100');
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, '4 decisions · account ACCT100');
	t.deepEqual(seqs(frame), [5, 4, 2, 1]);
	await press(stdin, '/');
	await waitForText(lastFrame, 'Filter:');
	await press(stdin, '\u0015');
	await type(stdin, `person:${kate.requesterId}`);
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, `3 decisions · person ${kate.requesterId.slice(0, 20)}`);
	t.deepEqual(seqs(frame), [5, 3, 2]);

	// Esc keeps the filter there was; an empty one shows everything.
	await press(stdin, '/');
	await waitForText(lastFrame, 'Filter:');
	await press(stdin, '\u0015');
	await press(stdin, keys.escape);
	frame = await waitForFrame(lastFrame, shown => !shown.includes('Filter:'));
	t.regex(frame, /3 decisions · person/);
	await press(stdin, '/');
	await waitForText(lastFrame, 'Filter:');
	await press(stdin, '\u0015');
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, '5 decisions');
	t.false(frame.includes('· person'));
	t.notRegex(frame, figure);
});

test('keys in one burst act one after another: L, /, a filter and Enter in one read filter the trail', async t => {
	const {database, lastFrame, stdin} = await start(t);
	await append(database, 'msg-1');
	await append(database, 'msg-2', {accounts: [{id: 'ACCT200', outcome: 'denied'}]});
	stdin.write(`L/acct200${keys.enter}`);
	const frame = await waitForText(lastFrame, '1 decision · account ACCT200');
	t.deepEqual(seqs(frame), [2]);
	// 40 Backspaces in one read, then Enter: every entry again.
	stdin.write('/');
	await waitForText(lastFrame, 'Filter:');
	stdin.write(keys.backspace.repeat(40) + keys.enter);
	await waitForText(lastFrame, '2 decisions');
	t.pass();
});

test('a database with no audit trail yet, or no audit port at all, says so', async t => {
	const {lastFrame, stdin} = await start(t, {migrate: false});
	await press(stdin, 'L');
	await waitForText(lastFrame, 'No decisions recorded yet');
	const {sandbox, client} = await startSandboxOnly(t);
	const bare = renderApp(t, client, sandbox);
	await waitForText(bare.lastFrame, 'No webhooks yet');
	await press(bare.stdin, 'L');
	await waitForText(bare.lastFrame, 'No audit trail: the TUI was started without a database');
	await press(bare.stdin, '/');
	t.false(plain(bare.lastFrame()).includes('Filter:'));
});

test('the ? help of the Audit screen lists its keys; the list’s help lists A and L', async t => {
	const {lastFrame, stdin} = await start(t);
	await press(stdin, '?');
	let frame = await waitForText(lastFrame, 'Keys');
	t.regex(frame, /A\s+the Access screen/);
	t.regex(frame, /L\s+the Audit screen/);
	await press(stdin, 'x');
	await press(stdin, 'L');
	await waitForText(lastFrame, 'REQUESTER');
	await press(stdin, '?');
	frame = await waitForText(lastFrame, 'Keys');
	t.regex(frame, /\/\s+filter by person/);
	await press(stdin, 'x');
	await waitForText(lastFrame, 'REQUESTER');
});

function assertFits(t: ExecutionContext, frame: string, columns: number, rows: number, where: string) {
	t.deepEqual(overlong(frame, columns), [], `${where}: a line is wider than ${columns} columns`);
	t.true(frame.split('\n').length <= rows, `${where}: ${frame.split('\n').length} lines on a ${rows}-row terminal`);
	return frame.split('\n').at(-1) ?? '';
}

for (const [columns, rows] of [
	[80, 24],
	[60, 20],
] as const) {
	test(`at ${columns}×${rows} the Audit screen fits, with its filter open, and keeps its essential keys`, async t => {
		const {database, lastFrame, stdin} = await start(t, {columns, rows});
		const many = Array.from({length: 10}, (_, index) => ({id: `ACCT${100 + index}`, outcome: (['shown', 'denied', 'unknown', 'throttled', 'crm-unavailable'] as const)[index % 5]!}));
		for (let index = 0; index < 40; index++) {
			await append(database, `msg-${index}`, index % 3 ? {requesterEmail: 'a-rather-long-address.of.a.teller@corporate.globomantics.com', accounts: many} : {});
		}
		await press(stdin, 'L');
		let frame = await waitForText(lastFrame, '40 decisions');
		t.regex(assertFits(t, frame, columns, rows, 'audit'), /\/ filter\s+Esc back\s+\? help\s+q quit/);
		t.regex(frame, /REQUESTER/);
		await press(stdin, keys.end);
		frame = await waitForText(lastFrame, /❯ 1\s/);
		assertFits(t, frame, columns, rows, 'audit, at the oldest');
		await press(stdin, '/');
		await type(stdin, 'nobody@');
		await press(stdin, keys.enter);
		frame = await waitForText(lastFrame, 'not a plain email address');
		t.regex(assertFits(t, frame, columns, rows, 'filter'), /Enter apply\s+Esc cancel/);
		await press(stdin, keys.escape);
		await press(stdin, '?');
		frame = await waitForText(lastFrame, 'Keys');
		assertFits(t, frame, columns, rows, 'help');
		t.notRegex(frame, figure);
	});
}
