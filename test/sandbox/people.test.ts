// /v1/people: me, lookups by email, id list and display-name prefix.
import test from 'ava';
import {call, startWorld} from './helpers.js';

test('/people/me tells a bot from a person', async t => {
	const world = await startWorld(t);
	const bot = await call(world.sandbox, world.bot.token, 'GET', '/people/me');
	t.like(bot.json, {id: world.bot.person.id, type: 'bot', displayName: 'globobot', emails: ['globobot@webex.bot']});
	t.false('firstName' in bot.json);
	const alice = await call(world.sandbox, world.alice.token, 'GET', '/people/me');
	t.like(alice.json, {type: 'person', firstName: 'Alice', lastName: 'Admin'});
	const avatar = await fetch(alice.json.avatar);
	t.is(avatar.status, 200);
});

test('lookup by ids reports the ones not found; by display-name prefix ignores case', async t => {
	const world = await startWorld(t);
	const unknown = Buffer.from('ciscospark://us/PEOPLE/00000000-0000-0000-0000-000000000000').toString('base64url');
	const byIds = await call(world.sandbox, world.bot.token, 'GET', `/people?id=${world.alice.person.id},${unknown}`);
	t.deepEqual(byIds.json.items.map((person: {id: string}) => person.id), [world.alice.person.id]);
	t.deepEqual(byIds.json.notFoundIds, [unknown]);
	const byName = await call(world.sandbox, world.bot.token, 'GET', '/people?displayName=bob');
	t.deepEqual(byName.json.items.map((person: {displayName: string}) => person.displayName), ['Bob Teller']);
	t.is((await call(world.sandbox, world.bot.token, 'GET', '/people?email=nobody%40globomantics.com')).json.items.length, 0);
	t.is((await call(world.sandbox, world.bot.token, 'GET', '/people')).status, 400);
	t.is((await call(world.sandbox, world.bot.token, 'GET', `/people/${world.bob.person.id}`)).json.displayName, 'Bob Teller');
	t.is((await call(world.sandbox, world.bot.token, 'GET', `/people/${unknown}`)).status, 404);
});
