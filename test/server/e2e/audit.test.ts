// Issue 15 through a running listener: every decision it makes appears in the
// trail exactly as decided (each account outcome, each reply kind, where it
// went, a group-room question answered privately as `dm`), read back with the
// compiled `globobot-admin audit list --json`, and `audit verify` exits 0.
// Two compiled `serve` replicas on one PostgreSQL database, each delivered
// every question, keep one valid chain with one decision per question.
import http from 'node:http';
import {setTimeout as sleep} from 'node:timers/promises';
import type {AddressInfo} from 'node:net';
import test, {type ExecutionContext} from 'ava';
import {grantsPolicy} from '../../../server/policy/grants.js';
import {openSqlStore} from '../../../server/store/open.js';
import type {AuditRecord} from '../../../server/store/audit.js';
import type {SandboxMessage} from '../../../source/sandbox/index.js';
import {runCli} from '../../helpers/cli.js';
import {waitFor} from '../../helpers/poll.js';
import {backends, postgresAvailable, postgresUrl} from '../../helpers/databases.js';
import {acceptedQuestions, askMany, freePort, registerWebhook as registerFaultWebhook, repliesPerQuestion, startFaultWorld, startServe, tally, waitForReplies} from '../../faults/helpers.js';
import {ask, botMessages, registerWebhook, startTestListener, startWorld, targetOf, waitForBotMessages, waitForQuiet, type World} from '../harness.js';

/** A CRM over HTTP whose outage the test switches on and off. */
async function startHttpCrm(t: ExecutionContext): Promise<{url: string; setDown(down: boolean): void}> {
	const accounts: Record<string, unknown> = {ACCT100: {due: '100.00', paid: '60.00'}, ACCT200: {due: '60.00', paid: '70.00'}, ACCT300: {due: '0', paid: '0'}};
	let down = false;
	const server = http.createServer((request, response) => {
		const id = /\/accounts\/(\w+)$/.exec(request.url ?? '')?.[1] ?? '';
		const status = down ? 503 : id in accounts ? 200 : 404;
		response.writeHead(status, {'content-type': 'application/json'});
		response.end(JSON.stringify(status === 200 ? accounts[id] : {}));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.teardown(
		() =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	);
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/accounts/{id}`,
		setDown(value) {
			down = value;
		},
	};
}

async function auditList(env: Record<string, string>): Promise<AuditRecord[]> {
	const listed = await runCli(['audit', 'list', '--json', '--limit', '10000'], env);
	if (listed.code !== 0) throw new Error(`audit list exited ${listed.code}: ${listed.stderr}`);
	return JSON.parse(listed.stdout) as AuditRecord[];
}

type Expected = Pick<AuditRecord, 'requesterEmail' | 'roomType' | 'accounts' | 'reply' | 'deliveredTo'>;

for (const backend of backends) {
	test(`${backend.name}: each decision is in the trail exactly as decided, and audit verify exits 0`, async t => {
		t.timeout(60_000);
		const world: World = await startWorld(t, backend);
		const crm = await startHttpCrm(t);
		const store = await openSqlStore(world.databaseUrl);
		t.teardown(async () => store.close());
		await (await grantsPolicy(store)).store.grant('alice@globomantics.com', ['ACCT100', 'ACCT200', 'ACCT999']);
		const listener = await startTestListener(t, world, {GLOBOBOT_ALLOW: '', CRM_URL: crm.url, CRM_MAX_WAIT: '2s', CRM_TIMEOUT: '500ms', GLOBOBOT_LIMIT_LOOKUPS: '5/1m'});
		await registerWebhook(world, targetOf(listener));
		const alice = 'alice@globomantics.com';
		const expected = new Map<string, Expected>();
		const replyIds = new Map<string, string[]>();
		let sent = 0;
		const step = async (who: 'alice' | 'bob', roomId: string, question: string, replies: number, decided: Expected) => {
			const before = new Set(botMessages(world).map(message => message.id));
			const asked: SandboxMessage = await ask(world, who, roomId, question);
			sent += replies;
			await waitForBotMessages(world, sent, 0);
			expected.set(asked.id, decided);
			replyIds.set(asked.id, botMessages(world).filter(message => !before.has(message.id)).map(message => message.id));
		};
		// shown, denied (ACCT300: no grant) and unknown (ACCT999: granted, not in the CRM), in the direct room: 3 lookups.
		await step('alice', world.aliceDirect.id, 'acct100 acct300 acct999', 1, {
			requesterEmail: alice,
			roomType: 'direct',
			accounts: [
				{id: 'ACCT100', outcome: 'shown'},
				{id: 'ACCT300', outcome: 'denied'},
				{id: 'ACCT999', outcome: 'unknown'},
			],
			reply: 'balances',
			deliveredTo: 'direct',
		});
		// In the group room: the figures privately, a pointer in the thread: 4 lookups.
		await step('alice', world.opsRoom.id, 'what is the balance for acct200?', 2, {requesterEmail: alice, roomType: 'group', accounts: [{id: 'ACCT200', outcome: 'shown'}], reply: 'balances', deliveredTo: 'dm'});
		await step('alice', world.opsRoom.id, 'hello', 1, {requesterEmail: alice, roomType: 'group', accounts: [], reply: 'help', deliveredTo: 'thread'});
		// bob has no grant at all: the general refusal, nothing looked up.
		await step('bob', world.bobDirect.id, 'acct100', 1, {requesterEmail: 'bob@globomantics.com', roomType: 'direct', accounts: [{id: 'ACCT100', outcome: 'denied'}], reply: 'refusal', deliveredTo: 'direct'});
		await step('bob', world.opsRoom.id, 'acct100', 1, {requesterEmail: 'bob@globomantics.com', roomType: 'group', accounts: [{id: 'ACCT100', outcome: 'denied'}], reply: 'refusal', deliveredTo: 'thread'});
		// The CRM down past CRM_MAX_WAIT (2 s): the apology.
		crm.setDown(true);
		await step('alice', world.aliceDirect.id, 'acct100', 1, {requesterEmail: alice, roomType: 'direct', accounts: [{id: 'ACCT100', outcome: 'crm-unavailable'}], reply: 'unavailable', deliveredTo: 'direct'});
		crm.setDown(false);
		// Three more ids would take alice past 5 in the minute.
		await step('alice', world.aliceDirect.id, 'acct100 acct200 acct300', 1, {
			requesterEmail: alice,
			roomType: 'direct',
			accounts: [
				{id: 'ACCT100', outcome: 'throttled'},
				{id: 'ACCT200', outcome: 'throttled'},
				{id: 'ACCT300', outcome: 'throttled'},
			],
			reply: 'throttled',
			deliveredTo: 'direct',
		});
		await waitForQuiet(world, listener);

		const env = {DATABASE_URL: world.databaseUrl, GLOBOBOT_HOME: world.home};
		const entries = await auditList(env);
		t.is(entries.length, expected.size, 'one decision entry per question');
		for (const [eventId, decided] of expected) {
			const matching = entries.filter(entry => entry.eventId === eventId);
			t.is(matching.length, 1, `one entry for the ${decided.reply} question`);
			t.like(matching[0], {source: 'webhook', ...decided}, `the ${decided.reply} → ${decided.deliveredTo} question`);
			t.deepEqual(matching[0]?.accounts, decided.accounts);
			// Webex's ids of every message sent for it: the private answer and the thread's pointer, or the one reply.
			t.deepEqual([...(matching[0]?.replyIds ?? [])].sort(), [...replyIds.get(eventId)!].sort(), `the ${decided.reply} question's reply ids`);
		}
		const everyId = new Set([world.alice.person.id, world.bob.person.id]);
		t.true(entries.every(entry => everyId.has(entry.requesterId)));
		const listed = JSON.stringify(entries);
		for (const figure of ['40.00', '-10.00', '100.00', '60.00']) t.false(listed.includes(figure), `no figure ${figure} in the trail`);
		const verified = await runCli(['audit', 'verify', '--json'], env);
		t.is(verified.code, 0, verified.stderr);
		t.like(JSON.parse(verified.stdout), {ok: true});
	});
}

(postgresAvailable ? test : test.skip)('two compiled serve replicas on one PostgreSQL database, each delivered every question: one decision entry per question, one chain that verifies', async t => {
	t.timeout(120_000);
	const world = await startFaultWorld(t, {databaseUrl: await postgresUrl(t)});
	// Sweeps every 2 s: a question neither replica acknowledged in the sandbox's 5 s (seen once on a starved CI host)
	// is caught up by both, and must still be decided once.
	const sweeping = {GLOBOBOT_CATCH_UP_EVERY: '2s'};
	const [first, second] = await Promise.all([startServe(t, world, await freePort(), sweeping), startServe(t, world, await freePort(), sweeping)]);
	await registerFaultWebhook(world, first.webhookUrl);
	await registerFaultWebhook(world, second.webhookUrl);
	// The first question's deliveries to both replicas are lost on the way: only the sweeps can find it.
	world.sandbox.faults.add({target: 'delivery', drop: true, times: 2});
	const asked = await askMany(world, 40, 20);
	await waitForReplies(world, asked, 60_000, 0);
	await waitFor('a reply to every question', () => repliesPerQuestion(world), replies => asked.every(question => replies.has(question.id)), 60_000).catch(() => undefined);
	await sleep(2000);
	const accepted = acceptedQuestions(world.sandbox.deliveries());
	for (const question of asked.filter(question => !accepted.has(question.id))) {
		const attempts = world.sandbox.deliveries().filter(record => record.messageId === question.id);
		t.log(`not acknowledged by either replica, so caught up: ${attempts.map(record => `${record.status} after ${record.durationMs} ms`).join(', ')}`);
	}
	t.false(accepted.has(asked[0]!.id), 'neither replica heard of the first question');
	t.like(tally(world, asked, accepted), {lost: 0, duplicated: 0});
	t.is(repliesPerQuestion(world).size, asked.length, 'every question answered');

	const env = {DATABASE_URL: world.databaseUrl, GLOBOBOT_HOME: world.home};
	const entries = await auditList(env);
	t.is(entries.length, asked.length, 'one decision entry per question, although each reached both replicas');
	t.deepEqual(entries.map(entry => entry.eventId).sort(), asked.map(question => question.id).sort());
	// Each with the id of its one threaded reply, whichever replica sent it.
	const replyTo = new Map(world.sandbox.messages({personId: world.bot.person.id}).map(message => [message.parentId, message.id]));
	for (const entry of entries) {
		t.like(entry, {reply: 'balances', deliveredTo: 'room', roomType: 'group', requesterEmail: 'alice@globomantics.com'});
		t.deepEqual(entry.replyIds, [replyTo.get(entry.eventId)]);
	}
	// One chain: consecutive sequence numbers, each linked to the one before.
	const seqs = entries.map(entry => entry.seq);
	t.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
	const verified = await runCli(['audit', 'verify', '--json'], env);
	t.is(verified.code, 0, verified.stderr);
	t.like(JSON.parse(verified.stdout), {ok: true});
	t.true(first.alive() && second.alive());
});
