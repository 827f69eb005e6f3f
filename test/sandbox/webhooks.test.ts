// /v1/webhooks CRUD with Webex's status codes.
import test from 'ava';
import {botWebhook, call, startWorld} from './helpers.js';

test('create 200, get 200, update 200, delete 204, then get 404', async t => {
	const world = await startWorld(t);
	const created = await call(world.sandbox, world.bot.token, 'POST', '/webhooks', botWebhook('http://127.0.0.1:1/a', {secret: 'first'}));
	t.is(created.status, 200);
	const {id} = created.json;
	const read = await call(world.sandbox, world.bot.token, 'GET', `/webhooks/${id}`);
	t.is(read.status, 200);
	t.is(read.json.secret, 'first');

	const updated = await call(world.sandbox, world.bot.token, 'PUT', `/webhooks/${id}`, {name: 'renamed', targetUrl: 'http://127.0.0.1:1/b', secret: 'second', resource: 'rooms', filter: 'roomType=group'});
	t.is(updated.status, 200);
	t.like(updated.json, {name: 'renamed', targetUrl: 'http://127.0.0.1:1/b', secret: 'second', resource: 'messages', filter: 'mentionedPeople=me', status: 'active'});

	t.is((await call(world.sandbox, world.bot.token, 'DELETE', `/webhooks/${id}`)).status, 204);
	const gone = await call(world.sandbox, world.bot.token, 'GET', `/webhooks/${id}`);
	t.is(gone.status, 404);
	t.truthy(gone.json.message);
	t.is((await call(world.sandbox, world.bot.token, 'DELETE', `/webhooks/${id}`)).status, 404);
});

test('missing fields and invalid enums are 400 with a message', async t => {
	const world = await startWorld(t);
	const post = (body: object) => call(world.sandbox, world.bot.token, 'POST', '/webhooks', body);
	const base = botWebhook('http://127.0.0.1:1/a');
	for (const field of ['name', 'targetUrl', 'resource', 'event'] as const) {
		const {[field]: _dropped, ...rest} = base;
		const answer = await post(rest);
		t.is(answer.status, 400, field);
		t.regex(answer.json.message, new RegExp(field));
	}
	t.is((await post({...base, resource: 'mesages'})).status, 400);
	t.is((await post({...base, event: 'posted'})).status, 400);
	t.is((await post({...base, targetUrl: 'not a url'})).status, 400);
	t.is((await post({...base, filter: 'roomType=channel'})).status, 400);
	// A room filter must name a room the owner is in.
	const aliceFilteringBobsRoom = await call(world.sandbox, world.alice.token, 'POST', '/webhooks', {...base, filter: `roomId=${world.bobDirect.id}`});
	t.is(aliceFilteringBobsRoom.status, 400);
	t.is(world.sandbox.webhooks().length, 0);
});

test('PUT needs name and targetUrl, and cannot deactivate', async t => {
	const world = await startWorld(t);
	const {json} = await call(world.sandbox, world.bot.token, 'POST', '/webhooks', botWebhook('http://127.0.0.1:1/a'));
	t.is((await call(world.sandbox, world.bot.token, 'PUT', `/webhooks/${json.id}`, {name: 'x'})).status, 400);
	const deactivate = await call(world.sandbox, world.bot.token, 'PUT', `/webhooks/${json.id}`, {name: 'x', targetUrl: 'http://127.0.0.1:1/a', status: 'inactive'});
	t.is(deactivate.status, 400);
	t.is((await call(world.sandbox, world.bot.token, 'GET', `/webhooks/${json.id}`)).json.status, 'active');
});

test("each person sees only their own webhooks; another's is a 404", async t => {
	const world = await startWorld(t);
	const {json} = await call(world.sandbox, world.bot.token, 'POST', '/webhooks', botWebhook('http://127.0.0.1:1/a'));
	await call(world.sandbox, world.alice.token, 'POST', '/webhooks', botWebhook('http://127.0.0.1:1/b'));
	t.is((await call(world.sandbox, world.alice.token, 'GET', `/webhooks/${json.id}`)).status, 404);
	t.is((await call(world.sandbox, world.alice.token, 'DELETE', `/webhooks/${json.id}`)).status, 404);
	const mine = await call(world.sandbox, world.bot.token, 'GET', '/webhooks');
	t.deepEqual(mine.json.items.map((webhook: {id: string}) => webhook.id), [json.id]);
	t.false(mine.headers.has('link'));
});
