// Webex's auto-disable rule, over real HTTP against a target answering 500.
import test from 'ava';
import type {World} from './helpers.js';
import {call, startReceiver, startWorld} from './helpers.js';

async function failingWebhook(t: Parameters<typeof startWorld>[0], world: World) {
	const target = await startReceiver(t, 500);
	const created = await call(world.sandbox, world.bot.token, 'POST', '/webhooks', {name: 'dm', targetUrl: target.url, resource: 'messages', event: 'created', filter: 'roomType=direct'});
	return {target, id: created.json.id as string};
}

async function sendDirect(world: World, count: number) {
	for (let index = 0; index < count; index++) await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: `acct${index}`});
	await world.sandbox.idle();
}

const statusOf = async (world: World, id: string) => (await call(world.sandbox, world.bot.token, 'GET', `/webhooks/${id}`)).json.status;
const reactivate = (world: World, id: string, targetUrl: string) =>
	call(world.sandbox, world.bot.token, 'PUT', `/webhooks/${id}`, {name: 'dm', targetUrl, status: 'active'});

test('100 failed deliveries within 5 minutes make a webhook inactive, and nothing is delivered while inactive', async t => {
	const world = await startWorld(t);
	const {target, id} = await failingWebhook(t, world);

	await sendDirect(world, 99);
	t.is(await statusOf(world, id), 'active');
	await sendDirect(world, 1);
	t.is(await statusOf(world, id), 'inactive');
	t.is(target.received.length, 100);

	await sendDirect(world, 3);
	t.is(target.received.length, 100);
	t.is(world.sandbox.deliveries().length, 100);
});

test('PUT status=active reactivates; during probation one failure disables it again', async t => {
	const world = await startWorld(t, {autoDisableThreshold: 3});
	const {target, id} = await failingWebhook(t, world);
	await sendDirect(world, 3);
	t.is(await statusOf(world, id), 'inactive');

	const reactivated = await reactivate(world, id, target.url);
	t.is(reactivated.status, 200);
	t.is(reactivated.json.status, 'active');

	target.setStatus(200);
	await sendDirect(world, 2);
	t.is(await statusOf(world, id), 'active');
	t.is(target.received.length, 5);

	target.setStatus(500);
	await sendDirect(world, 1);
	t.is(await statusOf(world, id), 'inactive');
});

test('after probation a single failure no longer disables', async t => {
	const world = await startWorld(t, {autoDisableThreshold: 3, probationMs: 0});
	const {target, id} = await failingWebhook(t, world);
	await sendDirect(world, 3);
	await reactivate(world, id, target.url);
	await sendDirect(world, 2);
	t.is(await statusOf(world, id), 'active');
	await sendDirect(world, 1);
	t.is(await statusOf(world, id), 'inactive');
});

test('failures outside the window do not count', async t => {
	const world = await startWorld(t, {autoDisableThreshold: 2, autoDisableWindowMs: 0});
	const {id} = await failingWebhook(t, world);
	await sendDirect(world, 5);
	t.is(await statusOf(world, id), 'active');
});
