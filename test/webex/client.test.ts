// The client against the Webex sandbox over real HTTP.
import {once} from 'node:events';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import test, {type ExecutionContext} from 'ava';
import {startSandbox} from '../../source/sandbox/index.js';
import type {Sandbox} from '../../source/sandbox/types.js';
import {createWebexClient, WebexError, type WebexClient, type WebexClientOptions} from '../../source/webex/index.js';

interface Observed {
	responses: Array<{method: string; path: string; status: number}>;
	retries: Array<{method: string; path: string; status: number; attempt: number; delayMs: number}>;
}

interface World {
	sandbox: Sandbox;
	bot: {id: string; token: string; email: string};
	alice: {id: string; token: string; email: string};
	/** A client for the bot (or another token), recording what it observes. */
	client(options?: Partial<WebexClientOptions>): {webex: WebexClient; observed: Observed};
}

async function world(t: ExecutionContext): Promise<World> {
	const sandbox = await startSandbox();
	t.teardown(async () => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const alice = sandbox.createPerson({displayName: 'Alice Adams', email: 'alice@example.com'});
	return {
		sandbox,
		bot: {id: bot.person.id, token: bot.token, email: bot.person.emails[0]!},
		alice: {id: alice.person.id, token: alice.token, email: alice.person.emails[0]!},
		client(options = {}) {
			const observed: Observed = {responses: [], retries: []};
			const webex = createWebexClient({
				baseUrl: sandbox.url,
				token: bot.token,
				minBackoffMs: 10,
				maxBackoffMs: 50,
				...options,
				observer: {
					onResponse: ({method, path, status}) => observed.responses.push({method, path, status}),
					onRetry: info => observed.retries.push(info),
				},
			});
			return {webex, observed};
		},
	};
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
	const items: T[] = [];
	for await (const item of iterable) {
		items.push(item);
	}

	return items;
}

const hook = {name: 'globobot', targetUrl: 'http://127.0.0.1:9/wtwebhook', resource: 'messages', event: 'created'};

test('people: me, get and list by email', async t => {
	const {client, bot, alice} = await world(t);
	const {webex} = client();
	const me = await webex.people.me();
	t.is(me.id, bot.id);
	t.is(me.type, 'bot');
	t.is((await webex.people.get(alice.id)).displayName, 'Alice Adams');
	const found = await webex.people.list({email: alice.email});
	t.deepEqual(found.map(person => person.id), [alice.id]);
});

test('webhooks: create, get, update, list and delete', async t => {
	const {client} = await world(t);
	const {webex, observed} = client();
	const created = await webex.webhooks.create({...hook, filter: 'mentionedPeople=me', secret: 's3cret'});
	t.like(created, {...hook, filter: 'mentionedPeople=me', status: 'active'});
	t.is((await webex.webhooks.get(created.id)).id, created.id);
	const updated = await webex.webhooks.update(created.id, {name: 'renamed', targetUrl: 'http://127.0.0.1:9/other'});
	t.like(updated, {id: created.id, name: 'renamed', targetUrl: 'http://127.0.0.1:9/other'});
	t.deepEqual((await all(webex.webhooks.list())).map(webhook => webhook.name), ['renamed']);
	await webex.webhooks.delete(created.id);
	t.is(observed.responses.at(-1)?.status, 204);
	t.deepEqual(await all(webex.webhooks.list()), []);
	const missing = await t.throwsAsync(webex.webhooks.get(created.id), {instanceOf: WebexError});
	t.is(missing.status, 404);
});

test('webhooks.list follows Link rel="next" across every page', async t => {
	const {client} = await world(t);
	const {webex, observed} = client();
	const ids: string[] = [];
	for (let index = 0; index < 7; index++) {
		// Sequential so the creation order is the listing order.
		ids.push((await webex.webhooks.create({...hook, name: `hook ${index}`})).id);
	}

	const listed = await all(webex.webhooks.list({max: 2}));
	t.deepEqual(listed.map(webhook => webhook.id).sort(), [...ids].sort());
	const pages = observed.responses.filter(response => response.method === 'GET' && response.path === '/webhooks');
	t.true(pages.length >= 4, `${pages.length} pages read`);
});

test('messages: create in a room and to a person, get, reply, list and listDirect', async t => {
	const {client, sandbox, bot, alice} = await world(t);
	const {webex} = client();
	const room = sandbox.createRoom({title: 'Finance', memberIds: [alice.id, bot.id]});
	const posted = await webex.messages.create({roomId: room.id, markdown: 'The balance is ready'});
	t.like(posted, {roomId: room.id, personId: bot.id, roomType: 'group'});
	const fetched = await webex.messages.get(posted.id);
	t.is(fetched.id, posted.id);
	t.is(fetched.markdown, 'The balance is ready');
	const reply = await webex.messages.create({roomId: room.id, text: 'threaded', parentId: posted.id});
	t.is(reply.parentId, posted.id);

	// A person may list a group room without mentionedPeople.
	const asAlice = client({token: alice.token}).webex;
	const listed = await all(asAlice.messages.list({roomId: room.id}));
	t.true(listed.some(message => message.id === posted.id));

	const direct = await webex.messages.create({toPersonEmail: alice.email, text: 'psst'});
	t.is(direct.roomType, 'direct');
	const toId = await webex.messages.create({toPersonId: alice.id, text: 'again'});
	t.is(toId.roomId, direct.roomId);
	const directs = await webex.messages.listDirect({personId: alice.id});
	t.deepEqual(directs.map(message => message.id).sort(), [direct.id, toId.id].sort());
});

test('messages.list pages through a room newest first; a bot lists a group room with mentionedPeople=me', async t => {
	const {client, sandbox, bot, alice} = await world(t);
	const room = sandbox.createRoom({title: 'Finance', memberIds: [alice.id, bot.id]});
	const sent: string[] = [];
	for (let index = 0; index < 5; index++) {
		// Sequential so that creation order is well defined.
		sent.push((await sandbox.sendMessage(alice.token, {roomId: room.id, markdown: `<@personId:${bot.id}|globobot> question ${index}`})).id);
	}

	const {webex, observed} = client();
	const listed = await all(webex.messages.list({roomId: room.id, mentionedPeople: 'me', max: 2}));
	t.deepEqual(listed.map(message => message.id), [...sent].reverse());
	t.true(observed.responses.filter(response => response.path === '/messages').length >= 3);
});

test('memberships.list follows pages', async t => {
	const {client, sandbox, bot, alice} = await world(t);
	const carol = sandbox.createPerson({displayName: 'Carol', email: 'carol@example.com'});
	const room = sandbox.createRoom({title: 'Finance', memberIds: [alice.id, bot.id, carol.person.id]});
	const {webex} = client();
	const members = await all(webex.memberships.list({roomId: room.id, max: 1}));
	t.deepEqual(members.map(member => member.personId).sort(), [alice.id, bot.id, carol.person.id].sort());
});

test('rooms.get and memberships.list', async t => {
	const {client, sandbox, bot, alice} = await world(t);
	const {webex} = client();
	const room = sandbox.createRoom({title: 'Finance', memberIds: [alice.id, bot.id]});
	t.like(await webex.rooms.get(room.id), {id: room.id, title: 'Finance', type: 'group'});
	const members = await all(webex.memberships.list({roomId: room.id}));
	t.deepEqual(members.map(member => member.personId).sort(), [alice.id, bot.id].sort());
});

test('a 429 waits for Retry-After, then succeeds', async t => {
	const {client, sandbox, bot} = await world(t);
	const {webex, observed} = client();
	sandbox.faults.add({method: 'GET', path: '/people/me', status: 429, retryAfter: 1, times: 1});
	const started = performance.now();
	const me = await webex.people.me();
	const waitedMs = performance.now() - started;
	t.is(me.id, bot.id);
	// Behaviour, not speed: the client must honour Webex's "come back in 1 s".
	t.true(waitedMs >= 950, `waited ${Math.round(waitedMs)} ms`);
	t.deepEqual(observed.responses.map(response => response.status), [429, 200]);
	t.like(observed.retries[0], {status: 429, attempt: 1, delayMs: 1000});
});

test('a 503 is retried, then succeeds', async t => {
	const {client, sandbox, bot} = await world(t);
	const {webex, observed} = client();
	sandbox.faults.add({method: 'GET', path: '/people/me', status: 503, times: 1});
	t.is((await webex.people.me()).id, bot.id);
	t.deepEqual(observed.responses.map(response => response.status), [503, 200]);
	t.is(observed.retries.length, 1);
});

test('a POST /messages that met a 502 is sent again and posted once', async t => {
	const {client, sandbox, bot, alice} = await world(t);
	const {webex, observed} = client();
	const room = sandbox.createRoom({title: 'Finance', memberIds: [alice.id, bot.id]});
	sandbox.faults.add({method: 'POST', path: '/messages', status: 502, times: 1});
	await webex.messages.create({roomId: room.id, text: 'hello'});
	t.deepEqual(observed.responses.map(response => response.status), [502, 200]);
	t.is(sandbox.messages({roomId: room.id}).length, 1);
});

test('a wrong token gives a 401 WebexError naming the status and trackingId, without the token', async t => {
	const {client} = await world(t);
	const token = 'not-a-real-token-1234567890';
	const {webex, observed} = client({token});
	const error = await t.throwsAsync(webex.people.me(), {instanceOf: WebexError});
	t.is(error.status, 401);
	t.truthy(error.trackingId);
	t.regex(error.message, /^Webex GET \/people\/me failed: 401 .+ \(trackingId .+\)$/);
	t.true(error.message.includes(error.trackingId!));
	t.false(error.message.includes(token));
	t.is(observed.responses.length, 1);
});

test('an answer slower than the timeout fails with a status-0 WebexError after the retries', async t => {
	const {client, sandbox} = await world(t);
	const {webex, observed} = client({timeoutMs: 100, retries: 2});
	sandbox.faults.add({method: 'GET', path: '/people/me', delayMs: 600});
	const error = await t.throwsAsync(webex.people.me(), {instanceOf: WebexError});
	t.is(error.status, 0);
	t.is(error.systemCode, 'ETIMEDOUT');
	t.is(error.code, 'unreachable');
	t.regex(error.message, /timed out after 100 ms/);
	t.deepEqual(observed.responses.map(response => response.status), [0, 0, 0]);
});

test('a 400 is not retried', async t => {
	const {client, sandbox, bot, alice} = await world(t);
	const {webex, observed} = client();
	const room = sandbox.createRoom({title: 'Finance', memberIds: [alice.id, bot.id]});
	const error = await t.throwsAsync(webex.messages.create({roomId: room.id, text: 'x'.repeat(7440)}), {instanceOf: WebexError});
	t.is(error.status, 400);
	t.is(observed.responses.length, 1);
	t.deepEqual(observed.retries, []);
});

test('retries: Infinity keeps trying through repeated 503s', async t => {
	const {client, sandbox, bot} = await world(t);
	const {webex, observed} = client({retries: Number.POSITIVE_INFINITY, minBackoffMs: 1, maxBackoffMs: 5});
	sandbox.faults.add({method: 'GET', path: '/people/me', status: 503, times: 8});
	t.is((await webex.people.me()).id, bot.id);
	t.is(observed.retries.length, 8);
});

test('aborting the signal stops a pending 429 wait', async t => {
	const {client, sandbox} = await world(t);
	const controller = new AbortController();
	const {webex} = client({signal: controller.signal});
	sandbox.faults.add({method: 'GET', path: '/people/me', status: 429, retryAfter: 120});
	const pending = webex.people.me();
	setTimeout(() => {
		controller.abort(new Error('shutting down'));
	}, 100);
	await t.throwsAsync(pending, {message: 'shutting down'});
});

/** A client of a plain HTTP server standing in for Webex, for answers the sandbox never gives; closed with the test. */
async function clientOf(t: ExecutionContext, server: http.Server): Promise<WebexClient> {
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	t.teardown(() => {
		server.closeAllConnections();
		server.close();
	});
	const {port} = server.address() as AddressInfo;
	return createWebexClient({baseUrl: `http://127.0.0.1:${port}/v1`, token: 'secret-token'});
}

test('a next link in a Link header of its own, after first and prev ones, is followed to the last page', async t => {
	// The sandbox sends one Link header; a server may send one per relation (RFC 8288), in either case of name.
	const server = http.createServer((request, response) => {
		const base = `http://${request.headers.host ?? ''}/v1/webhooks`;
		const second = request.url?.includes('cursor=2') ?? false;
		const links = second
			? ['Link', `<${base}>; rel="first"`, 'link', `<${base}?max=1>; rel="prev"`]
			: ['Link', `<${base}>; rel="first"`, 'Link', `<${base}?cursor=0>; rel="prev"`, 'link', `<${base}?cursor=2>; rel="Next last"`];
		response.writeHead(200, ['Content-Type', 'application/json', ...links]);
		response.end(JSON.stringify({items: [{...hook, id: second ? 'w2' : 'w1'}]}));
	});
	const webex = await clientOf(t, server);
	t.deepEqual((await all(webex.webhooks.list())).map(webhook => webhook.id), ['w1', 'w2']);
});

test('a next link to another host is refused, so the token never leaves Webex\'s host', async t => {
	const requests: string[] = [];
	const server = http.createServer((request, response) => {
		requests.push(`${request.headers.host ?? ''}${request.url ?? ''}`);
		const {port} = server.address() as AddressInfo;
		response.writeHead(200, {'content-type': 'application/json', link: `<http://localhost:${port}/v1/webhooks?cursor=2>; rel="next"`});
		response.end('{"items":[]}');
	});
	const webex = await clientOf(t, server);
	const error = await t.throwsAsync(all(webex.webhooks.list()), {instanceOf: WebexError});
	t.regex(error.message, /another host/);
	t.is(requests.length, 1);
});
