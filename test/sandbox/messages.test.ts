// /v1/messages: posting rules, visibility for bots, listing and the 1:1 list.
import test from 'ava';
import {call, mention, startReceiver, startWorld} from './helpers.js';

test('text and markdown may each be 7439 bytes, not one more', async t => {
	const world = await startWorld(t);
	const post = (body: object) => call(world.sandbox, world.alice.token, 'POST', '/messages', {roomId: world.opsRoom.id, ...body});
	t.is((await post({text: 'a'.repeat(7439)})).status, 200);
	const tooLong = await post({text: 'a'.repeat(7440)});
	t.is(tooLong.status, 400);
	t.regex(tooLong.json.message, /7439/);
	// Bytes, not characters: 2480 × 'é' (2 bytes) + 2480 × 'a' = 7440 bytes in 4960 characters.
	t.is((await post({markdown: 'é'.repeat(2480) + 'a'.repeat(2480)})).status, 400);
	t.is((await post({markdown: 'é'.repeat(2480) + 'a'.repeat(2479)})).status, 200);
});

test('exactly one destination is required', async t => {
	const world = await startWorld(t);
	const post = (body: object) => call(world.sandbox, world.alice.token, 'POST', '/messages', {text: 'hi', ...body});
	t.is((await post({})).status, 400);
	t.is((await post({roomId: world.opsRoom.id, toPersonId: world.bob.person.id})).status, 400);
	t.is((await call(world.sandbox, world.alice.token, 'POST', '/messages', {roomId: world.opsRoom.id})).status, 400);
});

test('one file by its public URL: the message names where Webex serves it; two files, a non-URL or a card are 400', async t => {
	const world = await startWorld(t);
	const post = (body: object) => call(world.sandbox, world.alice.token, 'POST', '/messages', {roomId: world.opsRoom.id, ...body});
	const withText = await post({text: 'statement attached', files: ['https://files.globomantics.com/statement.pdf']});
	t.is(withText.status, 200);
	t.is(withText.json.files.length, 1);
	t.regex(withText.json.files[0], new RegExp(`^${world.sandbox.url}/contents/[A-Za-z0-9_-]+$`));
	t.deepEqual((await call(world.sandbox, world.alice.token, 'GET', `/messages/${withText.json.id}`)).json.files, withText.json.files);
	const alone = await post({files: ['https://files.globomantics.com/alone.png']});
	t.is(alone.status, 200, 'a file alone is a message');
	// With no text at all, as Webex sends it: the field is absent, not "".
	t.false('text' in (await call(world.sandbox, world.alice.token, 'GET', `/messages/${alone.json.id}`)).json);
	for (const files of [['https://a.example/1.pdf', 'https://a.example/2.pdf'], [], ['statement.pdf'], 'https://a.example/1.pdf']) {
		const refused = await post({text: 'x', files});
		t.is(refused.status, 400, JSON.stringify(files));
		t.regex(refused.json.message, /files/);
	}
	t.is((await post({text: 'x', attachments: [{contentType: 'application/vnd.microsoft.card.adaptive', content: {}}]})).status, 400);
	t.is((await post({text: 'no file'})).json.files, undefined);
});

test('toPersonEmail posts into the 1:1 room of the two, created on first use', async t => {
	const world = await startWorld(t);
	const before = world.sandbox.rooms().length;
	const first = await call(world.sandbox, world.alice.token, 'POST', '/messages', {toPersonEmail: 'bob@globomantics.com', text: 'hi Bob'});
	t.is(first.status, 200);
	t.is(first.json.roomType, 'direct');
	t.is(first.json.toPersonEmail, 'bob@globomantics.com');
	t.is(world.sandbox.rooms().length, before + 1);
	const second = await call(world.sandbox, world.bob.token, 'POST', '/messages', {toPersonId: world.alice.person.id, text: 'hi Alice'});
	t.is(second.json.roomId, first.json.roomId);
	t.is(world.sandbox.rooms().length, before + 1);
	// toPerson* are only in the POST answer.
	const read = await call(world.sandbox, world.bob.token, 'GET', `/messages/${first.json.id}`);
	t.false('toPersonEmail' in read.json);
});

test('posting to a room the sender is not in is a 404; to an unknown person too', async t => {
	const world = await startWorld(t);
	t.is((await call(world.sandbox, world.bob.token, 'POST', '/messages', {roomId: world.aliceDirect.id, text: 'let me in'})).status, 404);
	t.is((await call(world.sandbox, world.bob.token, 'POST', '/messages', {toPersonEmail: 'nobody@globomantics.com', text: 'hi'})).status, 404);
});

test('a bot listing a group room without mentionedPeople=me gets 403; with it, only its mentions', async t => {
	const world = await startWorld(t);
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, text: 'not for the bot'});
	const asked = await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'acct100')});
	const denied = await call(world.sandbox, world.bot.token, 'GET', `/messages?roomId=${world.opsRoom.id}`);
	t.is(denied.status, 403);
	t.truthy(denied.json.message);
	const allowed = await call(world.sandbox, world.bot.token, 'GET', `/messages?roomId=${world.opsRoom.id}&mentionedPeople=me`);
	t.is(allowed.status, 200);
	t.deepEqual(allowed.json.items.map((message: {id: string}) => message.id), [asked.id]);
	// People list group rooms freely; bots list their 1:1 rooms freely.
	t.is((await call(world.sandbox, world.bob.token, 'GET', `/messages?roomId=${world.opsRoom.id}`)).json.items.length, 2);
	t.is((await call(world.sandbox, world.bot.token, 'GET', `/messages?roomId=${world.aliceDirect.id}`)).status, 200);
});

test('a bot cannot read an unmentioned group message, but reads its mentions and its own', async t => {
	const world = await startWorld(t);
	const chatter = await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, text: 'lunch?'});
	const own = await world.sandbox.sendMessage(world.bot.token, {roomId: world.opsRoom.id, text: 'hello'});
	t.is((await call(world.sandbox, world.bot.token, 'GET', `/messages/${chatter.id}`)).status, 404);
	t.is((await call(world.sandbox, world.bot.token, 'GET', `/messages/${own.id}`)).status, 200);
	t.is((await call(world.sandbox, world.bob.token, 'GET', `/messages/${chatter.id}`)).status, 200);
	const bobsDirect = await world.sandbox.sendMessage(world.bob.token, {roomId: world.bobDirect.id, text: 'acct200'});
	t.is((await call(world.sandbox, world.alice.token, 'GET', `/messages/${bobsDirect.id}`)).status, 404);
});

test('lists are newest first with a default max of 50, and threads filter by parentId', async t => {
	const world = await startWorld(t);
	for (let index = 0; index < 55; index++) await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: `m${index}`});
	const listed = await call(world.sandbox, world.bot.token, 'GET', `/messages?roomId=${world.aliceDirect.id}`);
	t.is(listed.json.items.length, 50);
	t.is(listed.json.items[0].text, 'm54');
	t.truthy(listed.headers.get('link'));

	const parent = world.sandbox.messages({roomId: world.aliceDirect.id})[0]!;
	const reply = await call(world.sandbox, world.bot.token, 'POST', '/messages', {roomId: world.aliceDirect.id, parentId: parent.id, text: 'threaded'});
	t.is(reply.json.parentId, parent.id);
	const thread = await call(world.sandbox, world.alice.token, 'GET', `/messages?roomId=${world.aliceDirect.id}&parentId=${parent.id}`);
	t.deepEqual(thread.json.items.map((message: {text: string}) => message.text), ['threaded']);
	t.is((await call(world.sandbox, world.bot.token, 'POST', '/messages', {roomId: world.aliceDirect.id, parentId: reply.json.id, text: 'nested'})).status, 400);
});

test('GET /messages/direct lists the 1:1 room with a person', async t => {
	const world = await startWorld(t);
	await world.sandbox.sendMessage(world.alice.token, {toPersonId: world.bot.person.id, text: 'one'});
	await world.sandbox.sendMessage(world.bot.token, {toPersonEmail: 'alice@globomantics.com', text: 'two'});
	const listed = await call(world.sandbox, world.bot.token, 'GET', '/messages/direct?personEmail=alice%40globomantics.com');
	t.is(listed.status, 200);
	t.deepEqual(listed.json.items.map((message: {text: string}) => message.text), ['two', 'one']);
	t.is((await call(world.sandbox, world.bot.token, 'GET', `/messages/direct?personId=${world.alice.person.id}`)).json.items.length, 2);
	t.is((await call(world.sandbox, world.bot.token, 'GET', '/messages/direct')).status, 400);
});

test('onMessage hears messages posted over HTTP and through sendMessage', async t => {
	const world = await startWorld(t);
	const heard: string[] = [];
	const stop = world.sandbox.onMessage(message => heard.push(message.text ?? ''));
	await call(world.sandbox, world.alice.token, 'POST', '/messages', {roomId: world.opsRoom.id, text: 'over http'});
	await world.sandbox.sendMessage(world.bob.token, {roomId: world.opsRoom.id, text: 'in process'});
	stop();
	await world.sandbox.sendMessage(world.bob.token, {roomId: world.opsRoom.id, text: 'unheard'});
	t.deepEqual(heard, ['over http', 'in process']);
	await t.throwsAsync(world.sandbox.sendMessage('bogus', {roomId: world.opsRoom.id, text: 'x'}));
	await t.throwsAsync(world.sandbox.sendMessage(world.bob.token, {roomId: world.aliceDirect.id, text: 'x'}), {message: /404/});
});

test('the author deletes a message (204), others cannot (403), and messages/deleted webhooks hear it', async t => {
	const world = await startWorld(t);
	const target = await startReceiver(t);
	await call(world.sandbox, world.bot.token, 'POST', '/webhooks', {name: 'deleted', targetUrl: target.url, resource: 'messages', event: 'deleted'});
	const message = await world.sandbox.sendMessage(world.alice.token, {toPersonId: world.bot.person.id, text: 'oops'});
	t.is((await call(world.sandbox, world.bot.token, 'DELETE', `/messages/${message.id}`)).status, 403);
	t.is((await call(world.sandbox, world.alice.token, 'DELETE', `/messages/${message.id}`)).status, 204);
	t.is((await call(world.sandbox, world.alice.token, 'GET', `/messages/${message.id}`)).status, 404);
	await world.sandbox.idle();
	t.is(target.received.length, 1);
	t.like(JSON.parse(target.received[0]!.raw.toString('utf8')), {event: 'deleted', data: {id: message.id}});
});
