// Issue 13 through a running listener: questions asked in the Webex sandbox,
// answered from a live CRM that is not globobot's (real PostgreSQL and
// MariaDB schemas with their own names, and a small HTTP CRM), never from
// globobot's own copy of the accounts (which says ACCT100 holds 40.00 USD).
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {setTimeout as sleep} from 'node:timers/promises';
import test, {type ExecutionContext} from 'ava';
import {unavailableText} from '../../../server/reply.js';
import type {SandboxMessage} from '../../../source/sandbox/index.js';
import {sqliteBackend} from '../../helpers/databases.js';
import {startTcpProxy} from '../../helpers/tcpProxy.js';
import {ask, botMessages, registerWebhook, startTestListener, startWorld, targetOf, waitFor, waitForBotMessages, type World} from '../harness.js';
import {crmKinds, type CrmRow} from './crm.js';

const rows: CrmRow[] = [
	{id: 'ACCT100', due: '100.00', paid: '17.25', currency: 'USD', segment: 'retail'},
	{id: 'ACCT200', due: '12345678901234.10', paid: '0.00', currency: 'EUR'},
	...Array.from({length: 12}, (_, index) => ({id: `ACCT${index + 1}`, due: `${index + 1}00.00`, paid: '0.01', currency: 'USD'})),
];

/** ACCTn's balance in the CRM: n × 100.00 due, 0.01 paid. */
const figureOf = (n: number) => ((n * 10_000 - 1) / 100).toFixed(2);

/** Threaded replies per question (GLOBOBOT_GROUP_REPLY=room: one per question, in its thread). */
function repliesTo(world: World, questions: readonly SandboxMessage[]): Map<string, string[]> {
	const replies = new Map<string, string[]>(questions.map(question => [question.id, []]));
	for (const message of botMessages(world)) replies.get(message.parentId ?? '')?.push(message.text ?? '');
	return replies;
}

async function waitForAnswers(world: World, questions: readonly SandboxMessage[], timeoutMs: number): Promise<Map<string, string[]>> {
	await waitFor('a reply to every question', () => repliesTo(world, questions), replies => [...replies.values()].every(texts => texts.length > 0), timeoutMs);
	// Long enough for a second answer to one of them to show.
	await sleep(1500);
	await world.sandbox.idle();
	return repliesTo(world, questions);
}

for (const kind of crmKinds) {
	const crmTest = kind.available ? test : test.skip;

	crmTest(`${kind.name}: answers come from the CRM, an UPDATE shows in the very next answer, 12345678901234.10 stays exact`, async t => {
		const world = await startWorld(t, sqliteBackend);
		const crm = await kind.create(t, rows);
		const listener = await startTestListener(t, world, crm.env());
		await registerWebhook(world, targetOf(listener));
		await ask(world, 'alice', world.aliceDirect.id, 'what is the balance for acct100 and acct200 and acct999?');
		const [first] = await waitForBotMessages(world, 1, 0);
		t.is(first?.text, 'balance for ACCT100: 82.75 USD\nbalance for ACCT200: 12345678901234.10 EUR\nno account ACCT999');

		await crm.setPaid('ACCT100', '99.99');
		await ask(world, 'alice', world.aliceDirect.id, 'and acct100 now?');
		const replies = await waitForBotMessages(world, 2);
		t.is(replies.length, 2);
		t.is(replies[1]?.text, 'balance for ACCT100: 0.01 USD');
	});

	crmTest(`${kind.name}: the CRM cut while questions arrive: restored within CRM_MAX_WAIT every one gets its figures, past it every one the apology; none lost, none twice`, async t => {
		t.timeout(90_000);
		const world = await startWorld(t, sqliteBackend);
		const crm = await kind.create(t, rows);
		const proxy = await startTcpProxy(crm.server);
		t.teardown(async () => proxy.close());
		const listener = await startTestListener(t, world, {...crm.env(proxy.port), GLOBOBOT_GROUP_REPLY: 'room', CRM_MAX_WAIT: '6s', CRM_TIMEOUT: '1s'});
		await registerWebhook(world, targetOf(listener));
		const burst = async (from: number, count: number) => {
			const asked: SandboxMessage[] = [];
			for (let index = from; index < from + count; index++) asked.push(await ask(world, 'alice', world.opsRoom.id, `what is the balance for acct${index}?`));
			return asked;
		};

		// Restored after 2 s, well within the 6 s.
		proxy.cut();
		const restored = await burst(1, 5);
		await sleep(2000);
		proxy.restore();
		const answered = await waitForAnswers(world, restored, 20_000);
		for (const [index, question] of restored.entries()) {
			t.deepEqual(answered.get(question.id), [`balance for ACCT${index + 1}: ${figureOf(index + 1)} USD`], `question ${index + 1}`);
		}

		// Still cut after the 6 s.
		proxy.cut();
		const abandoned = await burst(6, 5);
		const apologised = await waitForAnswers(world, abandoned, 30_000);
		for (const question of abandoned) t.deepEqual(apologised.get(question.id), [unavailableText]);
		t.notRegex(unavailableText, /ACCT|\d/);

		// Back: the next question has its figures, and nothing earlier is answered again.
		proxy.restore();
		const [later] = await burst(11, 1);
		const after = await waitForAnswers(world, [later!], 20_000);
		t.deepEqual(after.get(later!.id), ['balance for ACCT11: 1099.99 USD']);
		t.is(botMessages(world).length, restored.length + abandoned.length + 1, 'one reply per question, no more');
	});
}

interface HttpCrm {
	url: string;
	accounts: Map<string, Record<string, unknown>>;
	/** Authorization headers received. */
	authorizations: string[];
	/** Answer 500 to everything until this time. */
	failUntil: number;
	/** Never answer (a CRM that hangs). */
	hang: boolean;
}

async function startHttpCrm(t: ExecutionContext): Promise<HttpCrm> {
	const crm: HttpCrm = {url: '', accounts: new Map(), authorizations: [], failUntil: 0, hang: false};
	const server = http.createServer((request, response) => {
		crm.authorizations.push(request.headers.authorization ?? '');
		if (crm.hang) return;
		const id = decodeURIComponent(/^\/api\/accounts\/([^/?]+)$/.exec(request.url ?? '')?.[1] ?? '');
		const account = crm.accounts.get(id);
		const status = Date.now() < crm.failUntil ? 500 : account ? 200 : 404;
		response.writeHead(status, {'content-type': 'application/json'});
		response.end(status === 200 ? JSON.stringify(account) : JSON.stringify({error: status}));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.teardown(
		() =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	);
	crm.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/accounts/{id}`;
	return crm;
}

test('an HTTP CRM answers through the listener: figures from its JSON, 404 is no account, a 500 storm waited out, the token sent', async t => {
	t.timeout(60_000);
	const world = await startWorld(t, sqliteBackend);
	const crm = await startHttpCrm(t);
	// A number is read as written: 60.10 is not 60.1 through a float.
	crm.accounts.set('ACCT100', {amounts: {due: '100.00', paid: 60.1}, currency: 'USD'});
	crm.accounts.set('ACCT200', {amounts: {due: 12345678901234.1, paid: '0.00'}, currency: 'EUR'});
	const listener = await startTestListener(t, world, {
		CRM_URL: crm.url,
		CRM_FIELDS: 'due=/amounts/due,paid=/amounts/paid,currency=/currency',
		CRM_TOKEN: 'crm-bearer-token-1',
		CRM_MAX_WAIT: '20s',
	});
	await registerWebhook(world, targetOf(listener));
	await ask(world, 'alice', world.aliceDirect.id, 'acct100 acct200 acct999');
	const [first] = await waitForBotMessages(world, 1, 0);
	t.is(first?.text, 'balance for ACCT100: 39.90 USD\nbalance for ACCT200: 12345678901234.10 EUR\nno account ACCT999');
	t.true(crm.authorizations.length > 0);
	t.true(crm.authorizations.every(header => header === 'Bearer crm-bearer-token-1'));

	// Two seconds of 500s: the question waits them out, then has today's figure.
	crm.accounts.set('ACCT100', {amounts: {due: '100.00', paid: '100.00'}, currency: 'USD'});
	crm.failUntil = Date.now() + 2000;
	await ask(world, 'alice', world.aliceDirect.id, 'acct100');
	const replies = await waitForBotMessages(world, 2);
	t.is(replies.length, 2);
	t.is(replies[1]?.text, 'balance for ACCT100: 0.00 USD');
});

test('an HTTP CRM that hangs past CRM_TIMEOUT, for longer than CRM_MAX_WAIT: the apology, once, naming nothing', async t => {
	t.timeout(60_000);
	const world = await startWorld(t, sqliteBackend);
	const crm = await startHttpCrm(t);
	crm.accounts.set('ACCT100', {due: '100.00', paid: '1.00'});
	const listener = await startTestListener(t, world, {CRM_URL: crm.url, CRM_TIMEOUT: '500ms', CRM_MAX_WAIT: '3s'});
	await registerWebhook(world, targetOf(listener));
	crm.hang = true;
	await ask(world, 'alice', world.aliceDirect.id, 'acct100');
	const replies = await waitForBotMessages(world, 1, 1500);
	t.deepEqual(replies.map(reply => reply.text), [unavailableText]);
	t.true(crm.authorizations.length >= 2, 'asked again while the wait lasted');
	crm.hang = false;
	await ask(world, 'alice', world.aliceDirect.id, 'acct100');
	t.deepEqual((await waitForBotMessages(world, 2)).map(reply => reply.text), [unavailableText, 'balance for ACCT100: 99.00 USD']);
});
