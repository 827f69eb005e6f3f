// /v1/rooms and /v1/memberships: visible to members only.
import test from 'ava';
import {call, startWorld} from './helpers.js';

test('a member reads a room; anyone else gets 404', async t => {
	const world = await startWorld(t);
	const ops = await call(world.sandbox, world.bob.token, 'GET', `/rooms/${world.opsRoom.id}`);
	t.like(ops.json, {id: world.opsRoom.id, title: 'Globomantics Ops', type: 'group', isLocked: false});
	t.is((await call(world.sandbox, world.bob.token, 'GET', `/rooms/${world.aliceDirect.id}`)).status, 404);
	// A 1:1 room is titled with the other member's name.
	t.is((await call(world.sandbox, world.alice.token, 'GET', `/rooms/${world.aliceDirect.id}`)).json.title, 'globobot');
	const listed = await call(world.sandbox, world.bot.token, 'GET', '/rooms?type=direct');
	t.is(listed.json.items.length, 2);
});

test('memberships of a room list its members for members only', async t => {
	const world = await startWorld(t);
	const members = await call(world.sandbox, world.bot.token, 'GET', `/memberships?roomId=${world.opsRoom.id}`);
	t.is(members.status, 200);
	t.deepEqual(members.json.items.map((membership: {personEmail: string}) => membership.personEmail).sort(), [
		'alice@globomantics.com',
		'bob@globomantics.com',
		'globobot@webex.bot',
	]);
	t.like(members.json.items[0], {roomId: world.opsRoom.id, isModerator: false, isMonitor: false});
	t.is((await call(world.sandbox, world.bob.token, 'GET', `/memberships?roomId=${world.aliceDirect.id}`)).status, 404);
	const paged = await call(world.sandbox, world.bot.token, 'GET', `/memberships?roomId=${world.opsRoom.id}&max=2`);
	t.is(paged.json.items.length, 2);
	t.regex(paged.headers.get('link') ?? '', /rel="next"/);
});

test('rooms list most recently active first with sortBy=lastactivity (catch-up reads them so), and refuse an unknown sortBy', async t => {
	const world = await startWorld(t);
	await world.sandbox.sendMessage(world.bob.token, {roomId: world.bobDirect.id, text: 'first'});
	await new Promise(resolve => setTimeout(resolve, 5));
	await world.sandbox.sendMessage(world.alice.token, {roomId: world.aliceDirect.id, text: 'latest'});
	const listed = await call(world.sandbox, world.bot.token, 'GET', '/rooms?sortBy=lastactivity&max=2');
	t.deepEqual(listed.json.items.map((room: {id: string}) => room.id), [world.aliceDirect.id, world.bobDirect.id]);
	t.truthy(listed.json.items[0].lastActivity);
	t.regex(listed.headers.get('link') ?? '', /rel="next"/);
	t.is((await call(world.sandbox, world.bot.token, 'GET', '/rooms?sortBy=newest')).status, 400);
});
