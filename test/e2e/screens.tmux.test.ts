// The Access and Audit screens of the compiled CLI in a real 80×24 terminal
// (tmux, as tui.tmux.test.ts): against a sandbox with a bot token, the TUI's
// own DATABASE_URL, keys one per send-keys call and text in one burst. What
// the screen did is read back from the database it wrote.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'ava';
import {grantsPolicy} from '../../server/policy/grants.js';
import {appendAuditEntry, migrateAudit} from '../../server/store/audit.js';
import {decision} from '../helpers/audit.js';
import {openSqlStore} from '../../server/store/open.js';
import {seedDemo, startSandbox} from '../../source/sandbox/index.js';
import {ensureBuilt, hasTmux, tmuxSession} from '../helpers/tmux.js';

const secret = 'tmux-screens-secret-0123456789';

const title = 'the compiled TUI at 80×24: A adds, checks and revokes a grant in DATABASE_URL; L shows audit entries another process writes, live, and / filters them';
const declare = hasTmux ? test.serial : test.skip;

declare(hasTmux ? title : `${title} (skipped: tmux is not installed)`, async t => {
	t.timeout(90_000);
	await ensureBuilt();

	const sandbox = await startSandbox();
	t.teardown(async () => sandbox.close());
	const world = seedDemo(sandbox);
	const home = await mkdtemp(path.join(tmpdir(), 'globobot-tmux-screens-'));
	t.teardown(async () => rm(home, {recursive: true, force: true}));
	const databaseUrl = path.join(home, 'crm.db');
	const {waitFor, key, paste, exitCode} = await tmuxSession(t, 'screens', {
		WEBEX_API_URL: sandbox.url,
		WEBEX_TOKEN: world.bot.token,
		WEBHOOK_SECRET: secret,
		GLOBOBOT_HOME: home,
		GLOBOBOT_ALLOW: '@globomantics.com',
		DATABASE_URL: databaseUrl,
		PORT: '0',
		HOST: '127.0.0.1',
	});
	const fits = (shown: string) => {
		const lines = shown.replace(/\n+$/, '').split('\n');
		t.true(lines.length <= 24);
		t.deepEqual(lines.filter(line => [...line].length > 80), []);
	};
	const storedGrants = async () => {
		const store = await openSqlStore(databaseUrl);
		try {
			return (await (await grantsPolicy(store)).store.list()).map(({subject, scope}) => `${subject} ${scope}`);
		} finally {
			await store.close();
		}
	};

	await waitFor(/No webhooks yet/, 'the webhook list');
	await key('A');
	let shown = await waitFor(/@globomantics\.com\s+all\s+GLOBOBOT_ALLOW/, 'the Access screen');
	fits(shown);
	t.regex(shown, /n add\s+d revoke\s+c check/);

	// n, the subject pasted, Tab, the scope pasted, Enter.
	await key('n');
	await waitFor(/Add a grant/, 'the add form');
	await paste('Kate@Example.com');
	await key('Tab');
	await paste('acct1*');
	await key('Enter');
	shown = await waitFor(/granted kate@example\.com ACCT1\*/, 'the grant');
	t.regex(shown, /❯ kate@example\.com\s+ACCT1\*\s+stored/);
	t.deepEqual(await storedGrants(), ['kate@example.com ACCT1*']);

	// c: the check prompt, then Esc.
	await key('c');
	await waitFor(/Check: what may this email see\?/, 'the check prompt');
	await paste('kate@example.com');
	await key('Tab');
	await paste('acct100 acct200');
	await key('Enter');
	shown = await waitFor(/may see 1 of 2/, 'the decisions');
	t.regex(shown, /ACCT100\s+allowed\s+grant kate@example\.com ACCT1\*/);
	t.regex(shown, /ACCT200\s+denied\s+default deny/);
	fits(shown);
	await key('Escape');

	// d, y: revoked.
	await waitFor(/❯ kate@example\.com/, 'the grants again');
	await key('d');
	await waitFor(/Revoke kate@example\.com ACCT1\*\?/, 'the confirmation');
	await key('y');
	await waitFor(/revoked kate@example\.com ACCT1\*/, 'the revoke');
	// Read by another process's connection while the TUI (and its listener) still run: the revoke reached the file.
	t.deepEqual(await storedGrants(), []);

	await key('Escape');
	await waitFor(/No webhooks yet/, 'the webhook list again');

	// L: the audit trail, live. Entries are appended by this process, as a `serve` on the same database would.
	await key('L');
	await waitFor(/Audit · live/, 'the Audit screen');
	const appendEntry = async (eventId: string, overrides: Parameters<typeof decision>[1]) => {
		const store = await openSqlStore(databaseUrl);
		try {
			await migrateAudit(store);
			await store.transaction(async tx => appendAuditEntry(tx, decision(eventId, overrides)));
		} finally {
			await store.close();
		}
	};
	await appendEntry('msg-1', {accounts: [{id: 'ACCT100', outcome: 'shown'}]});
	await appendEntry('msg-2', {requesterEmail: 'bob@globomantics.com', reply: 'refusal', deliveredTo: 'thread', accounts: [{id: 'ACCT200', outcome: 'denied'}]});
	shown = await waitFor(/2 decisions/, 'the entries');
	t.regex(shown, /bob@globomantics\.com\s+refusal→thread\s+ACCT200 denied/);
	t.regex(shown, /alice@globomantics\.…\s+balances→dm\s+ACCT100 shown/);
	fits(shown);
	// / and the filter in one burst, then Enter.
	await paste('/acct200');
	await key('Enter');
	shown = await waitFor(/1 decision · account ACCT200/, 'the filtered trail');
	t.notRegex(shown, /alice@globomantics/);
	await key('Escape');
	await waitFor(/No webhooks yet/, 'the webhook list, last');
	await key('q');
	t.is(await exitCode(), '0');
});
