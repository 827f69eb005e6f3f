// The Access screen through the App, on a real SQLite database and the real
// policy (the tui command's access port): keys typed one at a time and in
// bursts, at 80×24 and 60×20.
import test, {type ExecutionContext} from 'ava';
import {accessPort} from '../../source/commands/tuiPorts.js';
import {openTestDatabase, sqliteBackend} from '../helpers/databases.js';
import {keys, press, type, waitForFrame, waitForText} from '../helpers/ink.js';
import {overlong, renderApp, resize, startSandboxOnly} from './sandboxApp.js';

const allow = ['@globomantics.com'];

async function start(t: ExecutionContext, {columns = 80, rows = 24, grants = [] as Array<[string, string]>} = {}) {
	const database = await openTestDatabase(t, sqliteBackend);
	const access = accessPort(async () => database.store, allow);
	for (const [subject, scope] of grants) await access.grant(subject, scope);
	const {sandbox, client} = await startSandboxOnly(t);
	const ui = renderApp(t, client, sandbox, {access, notice: 'This is the sandbox, a local Webex. For a real bot set WEBEX_TOKEN and PUBLIC_URL, then run globobot-admin again.'});
	resize(ui, columns, rows);
	await waitForText(ui.lastFrame, 'No webhooks yet');
	return {database, access, ui, lastFrame: ui.lastFrame, stdin: ui.stdin};
}

const stored = async (access: ReturnType<typeof accessPort>) => (await access.list()).filter(grant => grant.source === 'stored').map(({subject, scope}) => `${subject} ${scope}`);

test('A opens the grants: stored ones and GLOBOBOT_ALLOW’s, marked; Esc goes back', async t => {
	const {lastFrame, stdin} = await start(t, {grants: [['kate@globomantics.com', 'ACCT100']]});
	await press(stdin, 'A');
	const frame = await waitForText(lastFrame, 'kate@globomantics.com');
	t.regex(frame, /SUBJECT\s+SCOPE\s+SOURCE/);
	t.regex(frame, /❯ kate@globomantics\.com\s+ACCT100\s+stored/);
	t.regex(frame, /@globomantics\.com\s+all\s+GLOBOBOT_ALLOW/);
	t.regex(frame.split('\n').at(-1) ?? '', /n add\s+d revoke\s+c check.*Esc back.*\? help\s+q quit/);
	await press(stdin, keys.escape);
	await waitForText(lastFrame, 'No webhooks yet');
});

test('n adds a grant: each field’s parser error is shown next to it, nothing is stored until both are right', async t => {
	const {lastFrame, stdin, access} = await start(t);
	await press(stdin, 'A');
	await waitForText(lastFrame, 'GLOBOBOT_ALLOW');
	await press(stdin, 'n');
	let frame = await waitForText(lastFrame, 'Add a grant');
	t.regex(frame.split('\n').at(-1) ?? '', /Enter add\s+Esc cancel/);

	// A Kelvin sign is no address; a scope of only * is refused: the parsers of `access grant` say so.
	await type(stdin, '\u212Aate@globomantics.com');
	await press(stdin, keys.tab);
	await type(stdin, '*');
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, 'must be an email');
	// Shown as an escape: Ink's wrapping would turn the Kelvin sign into a plain K.
	t.regex(frame, /Subject.*\n.*✘ subject "\\u212aate@globomantics\.com" must be an email/);
	t.regex(frame, /✘ scope "\*" matches every account: write all/);
	t.deepEqual(await stored(access), []);

	// Fixed: the failed save put the cursor on the subject; Ctrl-U clears it, a plain one is typed; the scope becomes a pattern, in lower case.
	await press(stdin, '\u0015');
	await type(stdin, 'Kate@Globomantics.com');
	await press(stdin, keys.down);
	await press(stdin, keys.backspace);
	await type(stdin, 'acct1*');
	frame = await waitForFrame(lastFrame, shown => !shown.includes('must be an email') && !shown.includes('matches every account'));
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, '✔ granted kate@globomantics.com ACCT1*');
	t.regex(frame, /❯ kate@globomantics\.com\s+ACCT1\*\s+stored/, 'the cursor is on the new grant');
	t.deepEqual(await stored(access), ['kate@globomantics.com ACCT1*']);

	// The same again: said, not doubled.
	await press(stdin, 'n');
	await waitForText(lastFrame, 'Add a grant');
	await type(stdin, 'kate@globomantics.com');
	await press(stdin, keys.tab);
	await type(stdin, 'ACCT1*');
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'kate@globomantics.com already has ACCT1*');
	t.deepEqual(await stored(access), ['kate@globomantics.com ACCT1*']);

	// Esc cancels the form and stores nothing.
	await press(stdin, 'n');
	await waitForText(lastFrame, 'Add a grant');
	await type(stdin, '*');
	await press(stdin, keys.escape);
	frame = await waitForFrame(lastFrame, shown => !shown.includes('Add a grant'));
	t.deepEqual(await stored(access), ['kate@globomantics.com ACCT1*']);
});

test('d revokes after y, any other key keeps the grant; a GLOBOBOT_ALLOW entry cannot be revoked, and says so', async t => {
	const {lastFrame, stdin, access} = await start(t, {grants: [['kate@globomantics.com', 'ACCT100'], ['*', 'ACCT300']]});
	await press(stdin, 'A');
	await waitForText(lastFrame, /❯ \*\s+ACCT300/);

	await press(stdin, 'j');
	await press(stdin, 'd');
	let frame = await waitForText(lastFrame, 'Revoke kate@globomantics.com ACCT100?');
	t.regex(frame.split('\n').at(-1) ?? '', /y confirm\s+any other key cancel/);
	await press(stdin, 'x');
	frame = await waitForFrame(lastFrame, shown => !shown.includes('Revoke kate'));
	t.deepEqual(await stored(access), ['* ACCT300', 'kate@globomantics.com ACCT100']);

	await press(stdin, 'd');
	await waitForText(lastFrame, 'Revoke kate@globomantics.com ACCT100?');
	await press(stdin, 'y');
	frame = await waitForText(lastFrame, '✔ revoked kate@globomantics.com ACCT100');
	t.false(/kate@globomantics\.com\s+ACCT100\s+stored/.test(frame));
	t.deepEqual(await stored(access), ['* ACCT300']);

	// The cursor on @globomantics.com all (GLOBOBOT_ALLOW): no question, an explanation.
	await press(stdin, 'G');
	frame = await waitForText(lastFrame, /❯ @globomantics\.com\s+all\s+GLOBOBOT_ALLOW/);
	t.regex(frame, /@globomantics\.com all: from GLOBOBOT_ALLOW, not revocable here/);
	await press(stdin, 'd');
	frame = await waitForText(lastFrame, 'cannot be revoked here');
	t.false(frame.includes('Revoke @globomantics.com'));
	t.regex(frame, /⚠ @globomantics\.com all comes from GLOBOBOT_ALLOW and cannot be revoked here/);
	t.is((await access.list()).length, 2);
});

test('c checks an email against some accounts: each decision and the rule, segments from the account store', async t => {
	const {lastFrame, stdin, database} = await start(t, {grants: [['kate@example.com', 'ACCT100'], ['@example.com', 'segment:branch-042'], ['kate@example.com', 'ACCT2*']]});
	await database.accounts.upsertMany([
		{id: 'ACCT100', due: 100, paid: 0, currency: 'USD'},
		{id: 'ACCT300', due: 100, paid: 0, currency: 'USD', segment: 'Branch-042'},
	]);
	await press(stdin, 'A');
	await waitForText(lastFrame, 'GLOBOBOT_ALLOW');
	await press(stdin, 'c');
	let frame = await waitForText(lastFrame, 'Check: what may this email see?');
	t.regex(frame.split('\n').at(-1) ?? '', /Enter check\s+Esc close/);

	// A bad address and a bad id, each said under its field.
	await type(stdin, 'kate@example');
	await press(stdin, keys.tab);
	await type(stdin, 'acct100 acct/1');
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, 'is not a plain email address');
	t.regex(frame, /✘ account "ACCT\/1" is not an account id/);

	// The failed check put the cursor on the email.
	await type(stdin, '.com');
	await press(stdin, keys.down);
	for (let index = 0; index < '/1'.length; index++) await press(stdin, keys.backspace);
	await type(stdin, '300, acct250 acct999');
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, 'kate@example.com may see 3 of 4');
	t.regex(frame, /ACCT100\s+-\s+allowed\s+grant kate@example\.com ACCT100/);
	t.regex(frame, /ACCT300\s+Branch-042\s+allowed\s+grant @example\.com segment:branch-042/);
	t.regex(frame, /ACCT250\s+(?:-\s+)?allowed\s+grant kate@example\.com ACCT2\*/);
	t.regex(frame, /ACCT999\s+(?:-\s+)?denied\s+default deny/);

	// Someone GLOBOBOT_ALLOW covers, checked again from the same prompt.
	await press(stdin, keys.up);
	await press(stdin, '\u0015');
	await type(stdin, 'Bob@Globomantics.com');
	await press(stdin, keys.enter);
	frame = await waitForText(lastFrame, 'bob@globomantics.com may see 4 of 4');
	t.regex(frame, /ACCT999\s+(?:-\s+)?allowed\s+GLOBOBOT_ALLOW @globomantics\.com/);

	await press(stdin, keys.escape);
	await waitForText(lastFrame, 'SUBJECT');
});

test('keys in one burst act one after another: A, n, a subject, Tab, a scope and Enter in one read grant it', async t => {
	const {lastFrame, stdin, access} = await start(t);
	stdin.write(`An${'sam@globomantics.com'}${keys.tab}segment:branch-017${keys.enter}`);
	const frame = await waitForText(lastFrame, '✔ granted sam@globomantics.com segment:branch-017');
	t.regex(frame, /❯ sam@globomantics\.com\s+segment:branch-017\s+stored/);
	t.deepEqual(await stored(access), ['sam@globomantics.com segment:branch-017']);

	// d and y together revoke; 40 Backspaces in one read empty a field.
	stdin.write('dy');
	await waitForText(lastFrame, '✔ revoked sam@globomantics.com segment:branch-017');
	t.deepEqual(await stored(access), []);
	stdin.write(`c${'x'.repeat(40)}`);
	await waitForText(lastFrame, 'x'.repeat(30));
	stdin.write(keys.backspace.repeat(40));
	await waitForFrame(lastFrame, shown => !shown.includes('xx') && shown.includes('kate@globomantics.com'));
	t.pass();
});

test('without an access port the screen says there is no database, and n and c say it too', async t => {
	const {sandbox, client} = await startSandboxOnly(t);
	const {lastFrame, stdin} = renderApp(t, client, sandbox);
	await waitForText(lastFrame, 'No webhooks yet');
	await press(stdin, 'A');
	await waitForText(lastFrame, 'No database is open for grants');
	await press(stdin, 'n');
	const frame = await waitForText(lastFrame, '✘ No database is open for grants');
	t.false(frame.includes('Add a grant'));
});

test('the ? help of the Access screen lists its keys, from the keymap', async t => {
	const {lastFrame, stdin} = await start(t);
	await press(stdin, 'A');
	await waitForText(lastFrame, 'GLOBOBOT_ALLOW');
	await press(stdin, '?');
	const frame = await waitForText(lastFrame, 'Keys');
	t.regex(frame, /n\s+add a grant/);
	t.regex(frame, /d\s+revoke the selected grant/);
	t.regex(frame, /c\s+check what an email may see/);
	await press(stdin, 'x');
	await waitForText(lastFrame, 'SUBJECT');
	t.pass();
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
	test(`at ${columns}×${rows} every view of the Access screen fits, and keeps its essential keys`, async t => {
		const many = Array.from({length: 30}, (_, index) => [`teller${String(index).padStart(2, '0')}@globomantics.com`, `segment:branch-${String(index).padStart(3, '0')}`] as [string, string]);
		const {lastFrame, stdin} = await start(t, {columns, rows, grants: [['a-very-long-local-part.of.an.address@corporate.globomantics.com', 'segment:a-rather-long-segment-name'], ...many]});
		await press(stdin, 'A');
		let frame = await waitForText(lastFrame, '1/32');
		t.regex(assertFits(t, frame, columns, rows, 'grants'), /n add\s+d revoke\s+c check.*Esc back.*\? help\s+q quit/);
		await press(stdin, keys.end);
		frame = await waitForText(lastFrame, /❯ @globomantics\.com\s+all/);
		assertFits(t, frame, columns, rows, 'grants, at the end');
		t.regex(frame, /from GLOBOBOT_ALLOW/);

		await press(stdin, 'n');
		frame = await waitForText(lastFrame, 'Add a grant');
		await type(stdin, 'nobody');
		await press(stdin, keys.enter);
		frame = await waitForText(lastFrame, 'must be an email');
		t.regex(assertFits(t, frame, columns, rows, 'add'), /Enter add\s+Esc cancel/);
		await press(stdin, keys.escape);

		await press(stdin, keys.home);
		await press(stdin, 'd');
		frame = await waitForText(lastFrame, 'Revoke a-very-long');
		t.regex(assertFits(t, frame, columns, rows, 'revoke'), /y confirm/);
		await press(stdin, 'n');

		await press(stdin, 'c');
		await waitForText(lastFrame, 'Check: what may');
		await type(stdin, 'teller07@globomantics.com');
		await press(stdin, keys.tab);
		await type(stdin, 'ACCT100 ACCT200 ACCT300 ACCT400 ACCT500 ACCT600 ACCT700 ACCT800');
		await press(stdin, keys.enter);
		frame = await waitForText(lastFrame, 'may see 8 of 8');
		t.regex(assertFits(t, frame, columns, rows, 'check'), /Enter check\s+Esc close/);

		await press(stdin, keys.escape);
		await press(stdin, '?');
		frame = await waitForText(lastFrame, 'Keys');
		assertFits(t, frame, columns, rows, 'help');
	});
}
