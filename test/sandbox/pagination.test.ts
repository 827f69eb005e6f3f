// List pagination: `max` and an absolute Link rel="next" with an opaque cursor.
import test from 'ava';
import {call, startWorld, type Answer} from './helpers.js';

const nextLink = (answer: Answer) => /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('link') ?? '')?.[1];

async function createWebhooks(world: Awaited<ReturnType<typeof startWorld>>, count: number) {
	for (let index = 0; index < count; index++) {
		await call(world.sandbox, world.bot.token, 'POST', '/webhooks', {name: `hook ${index}`, targetUrl: `http://127.0.0.1:1/${index}`, resource: 'messages', event: 'created'});
	}
}

async function followAll(world: Awaited<ReturnType<typeof startWorld>>, first: string) {
	const pages: string[][] = [];
	let url: string | undefined = first;
	while (url) {
		const answer = await call(world.sandbox, world.bot.token, 'GET', url);
		if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
		pages.push(answer.json.items.map((item: {name: string}) => item.name));
		url = nextLink(answer);
	}
	return pages;
}

test('GET /webhooks?max=3 pages through 7 webhooks in 3 pages via Link rel="next"', async t => {
	const world = await startWorld(t);
	await createWebhooks(world, 7);
	const first = await call(world.sandbox, world.bot.token, 'GET', '/webhooks?max=3');
	const link = nextLink(first);
	t.truthy(link);
	t.true(link!.startsWith(world.sandbox.url + '/webhooks?'));
	t.regex(link!, /[?&]max=3(&|$)/);
	t.regex(link!, /[?&]cursor=[\w-]+/);

	const pages = await followAll(world, '/webhooks?max=3');
	t.deepEqual(pages.map(page => page.length), [3, 3, 1]);
	t.deepEqual(pages.flat(), Array.from({length: 7}, (_, index) => `hook ${index}`));
});

test('a full last page links to an empty page, which has no next link', async t => {
	const world = await startWorld(t);
	await createWebhooks(world, 6);
	const pages = await followAll(world, '/webhooks?max=3');
	t.deepEqual(pages.map(page => page.length), [3, 3, 0]);
});

test('the default max for webhooks is 100', async t => {
	const world = await startWorld(t);
	await createWebhooks(world, 101);
	const first = await call(world.sandbox, world.bot.token, 'GET', '/webhooks');
	t.is(first.json.items.length, 100);
	const second = await call(world.sandbox, world.bot.token, 'GET', nextLink(first)!);
	t.is(second.json.items.length, 1);
});

test('a bad max or cursor is a 400', async t => {
	const world = await startWorld(t);
	t.is((await call(world.sandbox, world.bot.token, 'GET', '/webhooks?max=0')).status, 400);
	t.is((await call(world.sandbox, world.bot.token, 'GET', '/webhooks?max=abc')).status, 400);
	t.is((await call(world.sandbox, world.bot.token, 'GET', '/webhooks?cursor=nonsense')).status, 400);
});

test('message lists keep their query (mentionedPeople) in the next link', async t => {
	const world = await startWorld(t);
	for (let index = 0; index < 5; index++) {
		await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: `<@personEmail:globobot@webex.bot|globobot> ${index}`});
	}
	const first = await call(world.sandbox, world.bot.token, 'GET', `/messages?roomId=${world.opsRoom.id}&mentionedPeople=me&max=2`);
	t.is(first.json.items.length, 2);
	const second = await call(world.sandbox, world.bot.token, 'GET', nextLink(first)!);
	t.is(second.status, 200);
	t.deepEqual(
		second.json.items.map((message: {text: string}) => message.text),
		['globobot 2', 'globobot 1'],
	);
});

test('rehearsing Webex\'s old quirk: next links of a group room\'s mentions lose mentionedPeople, and following one is a 403', async t => {
	const world = await startWorld(t, {nextLinksDropMentionedPeople: true});
	for (let index = 0; index < 3; index++) {
		await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: `<@personId:${world.bot.person.id}|globobot> q${index}`});
	}
	const first = await call(world.sandbox, world.bot.token, 'GET', `/messages?roomId=${world.opsRoom.id}&mentionedPeople=me&max=2`);
	t.is(first.json.items.length, 2);
	const link = nextLink(first)!;
	t.false(new URL(link).searchParams.has('mentionedPeople'));
	t.is((await call(world.sandbox, world.bot.token, 'GET', link)).status, 403);
	// Off by default.
	const normal = await startWorld(t);
	await normal.sandbox.sendMessage(normal.alice.token, {roomId: normal.opsRoom.id, markdown: `<@personId:${normal.bot.person.id}|globobot> q`});
	const page = await call(normal.sandbox, normal.bot.token, 'GET', `/messages?roomId=${normal.opsRoom.id}&mentionedPeople=me&max=1`);
	t.true(new URL(nextLink(page)!).searchParams.has('mentionedPeople'));
});
