// The replier on its own: a real inbox (SQLite), the Webex sandbox over real
// HTTP, no listener and no webhook. Events are put in the state a crash or an
// ambiguous send leaves them in, then handled once, and Webex is read back.
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {AccountSourceError, type AccountLookup} from '../../source/crm/lookup.js';
import {seedDemo, startSandbox, type DemoWorld, type Sandbox} from '../../source/sandbox/index.js';
import {migrateStore} from '../../source/sql/migrate.js';
import type {SqlStore} from '../../source/sql/types.js';
import {createWebexClient} from '../../source/webex/client.js';
import type {CreateMessage} from '../../source/webex/types.js';
import type {Decision} from '../../server/decision.js';
import {silentLogger} from '../../server/logger.js';
import {EventOutcome} from '../../server/outcome.js';
import {allowListPolicy} from '../../server/policy/allowList.js';
import {createReplier, type ReplierOptions} from '../../server/replier.js';
import {reconcileSkewMs} from '../../server/reconcile.js';
import {askedAtNote, sentPrivatelyText, unavailableText} from '../../server/reply.js';
import {createInbox, type Inbox, type InboxEvent, type ReplyPlan} from '../../server/store/inbox.js';
import {listenerMigrations} from '../../server/store/migrations/index.js';
import {sqliteBackend} from '../helpers/databases.js';
import {openTestStore} from '../helpers/stores.js';

type Context = Parameters<typeof openTestStore>[0];

interface Bench extends DemoWorld {
	sandbox: Sandbox;
	store: SqlStore & {database: {accounts: AccountLookup & {upsertMany: (accounts: Array<{id: string; due: number; paid: number; currency: string}>) => Promise<unknown>}}};
	inbox: Inbox;
	replier(overrides?: Partial<ReplierOptions>): ReturnType<typeof createReplier>;
	botMessages(): Array<{id: string; roomId: string; parentId?: string; text?: string}>;
}

async function bench(t: Context): Promise<Bench> {
	const sandbox = await startSandbox();
	t.teardown(async () => sandbox.close());
	const world = seedDemo(sandbox);
	const store = await openTestStore(t, sqliteBackend) as Bench['store'];
	await migrateStore(store, listenerMigrations);
	await store.database.accounts.upsertMany([{id: 'ACCT100', due: 10_000, paid: 6000, currency: 'USD'}]);
	const inbox = createInbox(store);
	const webex = createWebexClient({baseUrl: sandbox.url, token: world.bot.token, retries: 0});
	return {
		...world,
		sandbox,
		store,
		inbox,
		replier: overrides =>
			createReplier({
				bot: {id: world.bot.person.id, displayName: 'globobot', email: world.bot.person.emails[0] ?? ''},
				inbox,
				accounts: store.database.accounts,
				policy: allowListPolicy(['@globomantics.com']),
				reader: webex,
				sender: webex,
				sendWindowMs: 1000,
				groupReply: 'dm',
				accountPattern: 'ACCT\\d+',
				logger: silentLogger(),
				...overrides,
			}),
		botMessages: () => sandbox.messages().filter(message => message.personId === world.bot.person.id),
	};
}

/** Alice asks in a room; the question is recorded and claimed as a worker would. */
async function asked(b: Bench, text: string, room: 'direct' | 'group' = 'direct'): Promise<InboxEvent> {
	const roomId = room === 'direct' ? b.aliceDirect.id : b.opsRoom.id;
	const markdown = room === 'group' ? `<@personId:${b.bot.person.id}|globobot> ${text}` : text;
	const question = await b.sandbox.sendMessage(b.alice.token, {roomId, markdown});
	await b.inbox.record({messageId: question.id, roomId, roomType: room, personId: b.alice.person.id, source: 'webhook'});
	return (await b.inbox.claim('A', 60_000))!;
}

/**
 * An event whose plan was saved and whose step `step` POST had begun when the
 * worker died: claimed again, as the next worker finds it.
 */
async function interrupted(b: Bench, messages: CreateMessage[], step = 0): Promise<InboxEvent> {
	const event = await asked(b, 'acct100');
	const plan: ReplyPlan = {kind: 'balances', accountIds: ['ACCT100'], messages};
	await b.inbox.savePlan(event.messageId, 'A', plan);
	for (let done = 0; done < step; done++) {
		await b.inbox.beginSend(event.messageId, 'A', done, 0);
		await b.inbox.recordReply(event.messageId, 'A', done, `earlier-${event.messageId}-${done}`);
	}
	// The sandbox runs on this machine: its clock is ours, so now is Webex's time of the POST's start.
	await sleep(5);
	await b.inbox.beginSend(event.messageId, 'A', step, 0, Date.now());
	await b.inbox.release(event.messageId, 'A', 0, 'crashed');
	// Claimable once its (zero-length) in-flight window is over.
	await sleep(5);
	return (await b.inbox.claim('B', 60_000))!;
}

const figures = 'balance for ACCT100: 40.00 USD';

test('a fresh event: decided, sent once, completed', async t => {
	const b = await bench(t);
	const event = await asked(b, 'what is the balance for acct100?');
	const plan = await b.replier().handle(event, 'A');
	t.is(plan?.kind, 'balances');
	t.deepEqual(b.botMessages().map(message => [message.roomId, message.text]), [[b.aliceDirect.id, figures]]);
	t.like(await b.inbox.get(event.messageId), {state: 'done', outcome: 'replied'});
});

test('reconcile: the reply is already in Webex (sent after the POST began): recorded, not sent again', async t => {
	const b = await bench(t);
	const event = await interrupted(b, [{roomId: b.aliceDirect.id, text: figures}]);
	const sent = await b.sandbox.sendMessage(b.bot.token, {roomId: b.aliceDirect.id, text: figures});
	await b.replier().handle(event, 'B');
	t.is(b.botMessages().length, 1);
	t.like(await b.inbox.get(event.messageId), {state: 'done'});
	t.is((await b.store.get<{message_id: string}>('SELECT message_id FROM listener_replies WHERE reply_id = $1', [sent.id]))?.message_id, event.messageId);
});

test('reconcile: nothing in Webex: the reply is sent', async t => {
	const b = await bench(t);
	const event = await interrupted(b, [{roomId: b.aliceDirect.id, text: figures}]);
	await b.replier().handle(event, 'B');
	t.deepEqual(b.botMessages().map(message => message.text), [figures]);
});

test('reconcile: the same text created a moment before our POST began is not ours: sent', async t => {
	const b = await bench(t);
	await b.sandbox.sendMessage(b.bot.token, {roomId: b.aliceDirect.id, text: figures});
	const event = await interrupted(b, [{roomId: b.aliceDirect.id, text: figures}]);
	await b.replier().handle(event, 'B');
	t.is(b.botMessages().length, 2);
});

test('reconcile, an event saved by an older version (no Webex-clock bound): the old skew allowance applies', async t => {
	const b = await bench(t);
	const event = await interrupted(b, [{roomId: b.aliceDirect.id, text: figures}]);
	await b.store.run('UPDATE listener_inbox SET sending_after = NULL');
	await b.sandbox.sendMessage(b.bot.token, {roomId: b.aliceDirect.id, text: figures});
	const legacy = {...event, sendingAfter: undefined, sendingAt: event.sendingAt! + reconcileSkewMs + 60_000};
	await b.replier().handle(legacy, 'B');
	t.is(b.botMessages().length, 2, 'a message before sendingAt − 5 min is not taken');
});

test('a definite rejection (429) is retried without reconciling: an identical bot message posted a moment earlier does not answer the question', async t => {
	const b = await bench(t);
	const event = await asked(b, 'acct100');
	await b.sandbox.sendMessage(b.bot.token, {roomId: b.aliceDirect.id, text: figures});
	b.sandbox.faults.add({method: 'POST', path: '/messages', status: 429, retryAfter: 1, times: 1});
	const limited = await t.throwsAsync(b.replier().handle(event, 'A'), {instanceOf: EventOutcome});
	t.like(limited, {kind: 'retry', reason: 'webex-rate-limited', delayMs: 1000});
	t.like(await b.inbox.get(event.messageId), {state: 'sending', sendingAt: undefined}, 'nothing to reconcile');
	await b.inbox.release(event.messageId, 'A', 0, limited!.reason);
	await b.replier().handle((await b.inbox.claim('A', 60_000))!, 'A');
	t.is(b.botMessages().length, 2, 'the question IS answered');
	t.like(await b.inbox.get(event.messageId), {state: 'done'});
});

test('a 4xx refusal of the POST ends the event without reconciling', async t => {
	const b = await bench(t);
	const event = await asked(b, 'acct100');
	b.sandbox.faults.add({method: 'POST', path: '/messages', status: 400, times: 1});
	const refused = await t.throwsAsync(b.replier().handle(event, 'A'), {instanceOf: EventOutcome});
	t.like(refused, {kind: 'failed', reason: 'webex-rejected'});
	t.like(await b.inbox.get(event.messageId), {sendingAt: undefined, inFlightUntil: undefined});
});

test('a 5xx answer is reconciled at once (no in-flight wait): nothing there, so sent once', async t => {
	const b = await bench(t);
	const event = await asked(b, 'acct100');
	b.sandbox.faults.add({method: 'POST', path: '/messages', status: 503, times: 1});
	const failed = await t.throwsAsync(b.replier().handle(event, 'A'), {instanceOf: EventOutcome});
	t.like(failed, {kind: 'retry', reason: 'webex-unavailable'});
	await b.inbox.release(event.messageId, 'A', 0, failed!.reason);
	const again = await b.inbox.claim('A', 60_000);
	t.truthy(again?.sendingAt, 'claimable at once, and to be reconciled');
	await b.replier().handle(again!, 'A');
	t.deepEqual(b.botMessages().map(message => message.text), [figures]);
});

test('a POST that times out and is applied late: not retried before its in-flight window ends, then found, not sent twice', async t => {
	const b = await bench(t);
	const sendTimeoutMs = 300;
	const sendWindowMs = sendTimeoutMs + 1000;
	const sender = createWebexClient({baseUrl: b.sandbox.url, token: b.bot.token, retries: 0, timeoutMs: sendTimeoutMs});
	const replier = b.replier({sender, sendWindowMs});
	const event = await asked(b, 'acct100');
	// Webex holds the POST past our timeout and applies it anyway (within the window).
	b.sandbox.faults.add({method: 'POST', path: '/messages', delayMs: 900, times: 1});
	const started = Date.now();
	const timedOut = await t.throwsAsync(replier.handle(event, 'A'), {instanceOf: EventOutcome});
	t.like(timedOut, {kind: 'retry', reason: 'webex-unreachable'});
	await b.inbox.release(event.messageId, 'A', 0, timedOut!.reason);
	t.is(await b.inbox.claim('A', 60_000), undefined, 'not while Webex may still apply it');
	let again: InboxEvent | undefined;
	while (!again) {
		await sleep(50);
		again = await b.inbox.claim('A', 60_000);
	}
	t.true(Date.now() - started >= sendWindowMs - 50, `claimed again after ${Date.now() - started} ms`);
	await replier.handle(again, 'A');
	t.deepEqual(b.botMessages().map(message => message.text), [figures], 'the late POST is the reply');
	t.like(await b.inbox.get(event.messageId), {state: 'done'});
});

test('reconcile: a matching message that already settles another event is not taken: sent', async t => {
	const b = await bench(t);
	const first = await interrupted(b, [{roomId: b.aliceDirect.id, text: figures}]);
	await b.sandbox.sendMessage(b.bot.token, {roomId: b.aliceDirect.id, text: figures});
	await b.replier().handle(first, 'B');
	const second = await interrupted(b, [{roomId: b.aliceDirect.id, text: figures}]);
	await b.replier().handle(second, 'B');
	t.is(b.botMessages().length, 2, 'one message per question');
	const owners = await b.store.all<{message_id: string}>('SELECT message_id FROM listener_replies WHERE reply_id NOT LIKE $1', ['earlier-%']);
	t.deepEqual(owners.map(row => row.message_id).sort(), [first.messageId, second.messageId].sort());
});

test('reconcile: other text, or another thread, is not ours: sent', async t => {
	const b = await bench(t);
	const event = await interrupted(b, [{roomId: b.aliceDirect.id, text: figures}]);
	await b.sandbox.sendMessage(b.bot.token, {roomId: b.aliceDirect.id, text: 'balance for ACCT100: 41.00 USD'});
	await b.replier().handle(event, 'B');
	t.deepEqual(b.botMessages().map(message => message.text), ['balance for ACCT100: 41.00 USD', figures]);
});

test('reconcile, private message: found by listing the person\'s direct messages', async t => {
	const b = await bench(t);
	const event = await interrupted(b, [{toPersonId: b.alice.person.id, text: figures}]);
	await b.sandbox.sendMessage(b.bot.token, {toPersonId: b.alice.person.id, text: figures});
	await b.replier().handle(event, 'B');
	t.is(b.botMessages().length, 1);
});

test('reconcile, 403 on the thread: the figure-free pointer is not sent again', async t => {
	const b = await bench(t);
	const pointer = {roomId: b.opsRoom.id, parentId: 'some-question', text: sentPrivatelyText};
	const event = await interrupted(b, [{toPersonId: b.alice.person.id, text: figures}, pointer], 1);
	await b.replier().handle(event, 'B');
	t.is(b.botMessages().length, 0, 'Webex refused the listing (bots may not list a group room), so nothing was resent');
	t.like(await b.inbox.get(event.messageId), {state: 'done', step: 2});
});

test('reconcile, 403 on the thread: an answer with figures is sent again (a lost answer is the greater harm)', async t => {
	const b = await bench(t);
	const question = await b.sandbox.sendMessage(b.alice.token, {roomId: b.opsRoom.id, markdown: `<@personId:${b.bot.person.id}|globobot> hi`});
	const event = await interrupted(b, [{roomId: b.opsRoom.id, parentId: question.id, text: figures}]);
	await b.replier().handle(event, 'B');
	t.deepEqual(b.botMessages().map(message => [message.roomId, message.parentId, message.text]), [[b.opsRoom.id, question.id, figures]]);
});

test('reconcile: the room is gone (404 on the listing): the event fails, nothing sent', async t => {
	const b = await bench(t);
	const event = await interrupted(b, [{roomId: 'no-such-room', text: figures}]);
	const error = await t.throwsAsync(b.replier().handle(event, 'B'), {instanceOf: EventOutcome});
	t.like(error, {kind: 'failed', reason: 'room-not-found'});
	t.is(b.botMessages().length, 0);
});

test('reconcile: Webex unavailable while listing: tried again later, nothing sent', async t => {
	const b = await bench(t);
	const event = await interrupted(b, [{roomId: b.aliceDirect.id, text: figures}]);
	b.sandbox.faults.add({method: 'GET', path: '/messages', status: 503, times: 1});
	const error = await t.throwsAsync(b.replier().handle(event, 'B'), {instanceOf: EventOutcome});
	t.like(error, {kind: 'retry', reason: 'webex-unavailable'});
	t.is(b.botMessages().length, 0);
	t.like(await b.inbox.get(event.messageId), {state: 'sending'});
});

test('reconcile: the lease was lost meanwhile: nothing recorded, the new owner decides', async t => {
	const b = await bench(t);
	const event = await interrupted(b, [{roomId: b.aliceDirect.id, text: figures}]);
	await b.sandbox.sendMessage(b.bot.token, {roomId: b.aliceDirect.id, text: figures});
	const error = await t.throwsAsync(b.replier().handle(event, 'C'), {instanceOf: EventOutcome});
	t.like(error, {kind: 'lost'});
	t.like(await b.inbox.get(event.messageId), {step: 0, leaseOwner: 'B'});
});

test('a direct room\'s help does not ask to be mentioned', async t => {
	const b = await bench(t);
	await b.replier().handle(await asked(b, 'hello'), 'A');
	const [help] = b.botMessages();
	t.regex(help?.text ?? '', /Send me its id/);
	t.notRegex(help?.text ?? '', /Mention me/);
});

test('onDecided: once per decision, inside the plan\'s transaction; when it throws, nothing is saved or sent', async t => {
	const b = await bench(t);
	await migrateStore(b.store, [{name: 'test/decisions', sql: 'CREATE TABLE decisions (event_id TEXT PRIMARY KEY NOT NULL, reply TEXT NOT NULL)'}]);
	const decisions: Decision[] = [];
	const replier = b.replier({
		async onDecided(decision, tx) {
			decisions.push(decision);
			await tx.run('INSERT INTO decisions (event_id, reply) VALUES ($1, $2)', [decision.eventId, decision.reply]);
		},
	});
	const event = await asked(b, 'acct100 and acct999', 'group');
	await replier.handle(event, 'A');
	t.is(decisions.length, 1);
	t.like(decisions[0], {eventId: event.messageId, source: 'webhook', roomType: 'group', reply: 'balances', deliveredTo: 'dm', requester: {personId: b.alice.person.id}});
	t.deepEqual(decisions[0]!.accounts, [{id: 'ACCT100', outcome: 'shown'}, {id: 'ACCT999', outcome: 'unknown'}]);
	t.deepEqual(await b.store.all('SELECT event_id, reply FROM decisions'), [{event_id: event.messageId, reply: 'balances'}]);

	const failing = b.replier({
		async onDecided(decision, tx) {
			await tx.run('INSERT INTO decisions (event_id, reply) VALUES ($1, $2)', [decision.eventId, decision.reply]);
			throw new Error('audit unavailable');
		},
	});
	const second = await asked(b, 'acct100');
	const before = b.botMessages().length;
	await t.throwsAsync(failing.handle(second, 'A'), {message: 'audit unavailable'});
	t.like(await b.inbox.get(second.messageId), {state: 'processing'});
	t.is(await b.inbox.get(second.messageId).then(found => found?.plan), undefined);
	t.is((await b.store.all('SELECT event_id FROM decisions')).length, 1);
	t.is(b.botMessages().length, before);
});

/** A CRM that is down: every lookup fails as an unreachable source would. */
const unreachableCrm: AccountLookup = {
	description: 'a CRM that is down',
	async getMany() {
		throw new AccountSourceError('unavailable', 'connection refused');
	},
	async ping() {
		throw new AccountSourceError('unavailable', 'connection refused');
	},
	async close() {},
};

test('CRM unreachable: tried again with backoff while the wait lasts, then one reply naming no account and no figure', async t => {
	const b = await bench(t);
	const event = await asked(b, 'acct100', 'group');
	let now = event.receivedAt + 1000;
	const replier = b.replier({accounts: unreachableCrm, crmMaxWaitMs: 120_000, clock: () => now});
	const early = await t.throwsAsync(replier.handle(event, 'A'), {instanceOf: EventOutcome});
	t.like(early, {kind: 'retry', reason: 'crm-unavailable'});
	t.true(early!.delayMs > 0 && early!.delayMs <= 119_000);
	now = event.receivedAt + 119_999;
	const last = await t.throwsAsync(replier.handle(event, 'A'), {instanceOf: EventOutcome});
	t.is(last!.delayMs, 1, 'the last retry falls due when the wait ends');
	t.is(b.botMessages().length, 0);

	now = event.receivedAt + 120_000;
	const plan = await replier.handle(event, 'A');
	t.is(plan?.kind, 'unavailable');
	t.deepEqual(b.botMessages().map(message => [message.roomId, message.text]), [[b.opsRoom.id, unavailableText]]);
	t.is(unavailableText, "I can't reach the CRM right now; please ask again in a few minutes.");
	t.notRegex(unavailableText, /ACCT|\d/);
});

test('CRM unreachable, but the requester may not ask: the refusal, without waiting for the CRM', async t => {
	const b = await bench(t);
	const event = await asked(b, 'acct100');
	const plan = await b.replier({accounts: unreachableCrm, policy: allowListPolicy(['bob@globomantics.com'])}).handle(event, 'A');
	t.is(plan?.kind, 'refusal');
});

test('a question answered more than two minutes after it was asked says when it was asked; on time, it does not', async t => {
	const b = await bench(t);
	const onTime = await asked(b, 'acct100');
	await b.replier().handle(onTime, 'A');
	const late = await asked(b, 'acct100');
	const created = b.sandbox.messages().find(message => message.id === late.messageId)!.created;
	await b.replier({clock: () => Date.parse(created) + 3 * 60_000}).handle(late, 'A');
	const [first, second] = b.botMessages();
	t.is(first?.text, figures);
	t.is(second?.text, `${figures}\n(You asked at ${created.slice(11, 16)} UTC.)`);
});

test('the late note names the day when the question was asked on another one', t => {
	t.is(askedAtNote(Date.parse('2026-12-01T23:58:10Z'), Date.parse('2026-12-02T00:05:00Z')), '(You asked on 2026-12-01 at 23:58 UTC.)');
	t.is(askedAtNote(Date.parse('2026-12-01T10:42:59Z'), Date.parse('2026-12-01T11:00:00Z')), '(You asked at 10:42 UTC.)');
});
