// Rehearsal through the compiled CLI: `sandbox --state FILE` keeps its
// people's tokens and ids across a restart (owner-only), and `sandbox say`
// posts as one of them to the running sandbox, mention included, so that a
// listener answers it.
import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {statSync, readFileSync} from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {loadConfig} from '../../source/config.js';
import {openDatabase} from '../../source/crm/database.js';
import {startListener} from '../../server/listener.js';
import {silentLogger} from '../../server/logger.js';
import {targetUrlOf} from '../../server/events.js';
import {runCli, tempHome} from '../helpers/cli.js';
import {sqliteUrl} from '../helpers/databases.js';
import {waitFor} from '../helpers/poll.js';

interface Summary {
	url: string;
	people: Array<{id: string; email: string; token: string; type: string}>;
	rooms: Array<{id: string; title: string; type: string}>;
}

async function startSandboxCli(t: ExecutionContext, stateFile: string): Promise<{summary: Summary; child: ChildProcess}> {
	const child = spawn(process.execPath, ['dist/cli.js', 'sandbox', '--port', '0', '--state', stateFile, '--json'], {env: {PATH: process.env['PATH'] ?? ''}, stdio: ['ignore', 'pipe', 'pipe']});
	t.teardown(() => {
		if (child.exitCode === null) child.kill('SIGKILL');
	});
	let stdout = '';
	const summary = await new Promise<Summary>((resolve, reject) => {
		child.stdout!.on('data', chunk => {
			stdout += String(chunk);
			try {
				resolve(JSON.parse(stdout) as Summary);
			} catch {
				// Not all of it yet.
			}
		});
		child.once('exit', code => reject(new Error(`sandbox exited ${code}`)));
	});
	return {summary, child};
}

async function stop(child: ChildProcess) {
	const exited = once(child, 'exit');
	child.kill('SIGINT');
	await exited;
}

const asBot = (summary: Summary, pathAndQuery: string) =>
	fetch(`${summary.url}${pathAndQuery}`, {headers: {authorization: `Bearer ${summary.people[0]!.token}`}}).then(async response => (await response.json()) as {items: Array<{id: string; personEmail: string; text: string}>});

test('the state file keeps tokens and ids across a restart, owner-only; say posts a mention the listener answers', async t => {
	t.timeout(60_000);
	const home = tempHome(t);
	const stateFile = path.join(home, 'sandbox-state.json');
	const first = await startSandboxCli(t, stateFile);
	t.is(statSync(stateFile).mode & 0o777, 0o600);
	await stop(first.child);

	const second = await startSandboxCli(t, stateFile);
	t.deepEqual(second.summary.people.map(person => [person.id, person.token]), first.summary.people.map(person => [person.id, person.token]), 'same ids and tokens');
	t.deepEqual(second.summary.rooms, first.summary.rooms);
	t.is(JSON.parse(readFileSync(stateFile, 'utf8')).url, second.summary.url, 'the file names where the sandbox answers now');

	// A listener for the bot of this sandbox.
	const databaseUrl = await sqliteUrl(t);
	const database = await openDatabase(databaseUrl);
	await database.accounts.upsertMany([{id: 'ACCT100', due: 10_000, paid: 6000, currency: 'USD'}]);
	await database.close();
	const env = {WEBEX_TOKEN: second.summary.people[0]!.token, WEBEX_API_URL: second.summary.url, WEBHOOK_SECRET: 'say-test-secret-123', DATABASE_URL: databaseUrl, GLOBOBOT_ALLOW: '@globomantics.com', GLOBOBOT_HOME: home, PORT: '0', HOST: '127.0.0.1', GLOBOBOT_WEBHOOK_CHECK: '0'};
	const listener = await startListener(loadConfig({}, env), {logger: silentLogger(), pollMs: 200});
	t.teardown(() => listener.close());
	const ensured = await runCli(['webhooks', 'ensure', '--url', targetUrlOf(listener)!, '--filter', ''], env);
	t.is(ensured.code, 0, ensured.stderr);

	const said = await runCli(['sandbox', 'say', '--as', 'Alice@Globomantics.com', '--room', 'globomantics ops', '--state', stateFile, '@globobot what is the balance for acct100?'], {});
	t.is(said.code, 0, said.stderr);
	const id = /^posted (\S+) as alice@globomantics\.com in “Globomantics Ops”$/m.exec(said.stdout)?.[1];
	t.truthy(id, said.stdout);
	t.false(said.stdout.includes(second.summary.people[1]!.token), 'never a token');
	const opsRoom = second.summary.rooms.find(room => room.title === 'Globomantics Ops')!;
	const thread = await waitFor('the pointer in the thread', async () => asBot(second.summary, `/messages?roomId=${opsRoom.id}&mentionedPeople=me`), () => true);
	t.true(thread.items.some(message => message.id === id), 'the bot sees the mention');
	const alice = second.summary.people.find(person => person.email === 'alice@globomantics.com')!;
	await waitFor(
		'the private reply',
		async () => asBot(second.summary, `/messages/direct?personId=${alice.id}`),
		direct => direct.items.some(message => /balance for ACCT100: 40\.00 USD/.test(message.text)),
	);

	const direct = await runCli(['sandbox', 'say', '--as', 'bob@globomantics.com', '--state', stateFile, '--json', 'acct100'], {});
	t.is(direct.code, 0, direct.stderr);
	t.like(JSON.parse(direct.stdout), {as: 'bob@globomantics.com', room: null});
});

test('say names what is wrong: no state file, an unknown person or room (exit 2), a stopped sandbox (exit 1)', async t => {
	const home = tempHome(t);
	const stateFile = path.join(home, 'state.json');
	const missing = await runCli(['sandbox', 'say', '--as', 'alice@globomantics.com', '--state', stateFile, 'hi'], {});
	t.is(missing.code, 2);
	t.regex(missing.stderr, /^globobot-admin: no sandbox state at .*: start the sandbox with `globobot-admin sandbox --state/);
	const {child} = await startSandboxCli(t, stateFile);
	const nobody = await runCli(['sandbox', 'say', '--as', 'mallory@example.com', '--state', stateFile, 'hi'], {});
	t.is(nobody.code, 2);
	t.regex(nobody.stderr, /no sandbox person mallory@example\.com \(there are: globobot@webex\.bot, alice@globomantics\.com, bob@globomantics\.com\)/);
	const noRoom = await runCli(['sandbox', 'say', '--as', 'alice@globomantics.com', '--room', 'Nowhere', '--state', stateFile, 'hi'], {});
	t.is(noRoom.code, 2);
	t.regex(noRoom.stderr, /is in no room named Nowhere/);
	const unmentioned = await runCli(['sandbox', 'say', '--as', 'alice@globomantics.com', '--room', 'Globomantics Ops', '--state', stateFile, 'acct100'], {});
	t.is(unmentioned.code, 0);
	t.regex(unmentioned.stderr, /the bot only sees group-room messages that mention it: start with @globobot/);
	await stop(child);
	const stopped = await runCli(['sandbox', 'say', '--as', 'alice@globomantics.com', '--state', stateFile, 'hi'], {});
	t.is(stopped.code, 1);
	t.regex(stopped.stderr, /does not answer: start it with/);
});
