// Webex's error shape and tracking ids, on every kind of failure.
import test from 'ava';
import {call, startWorld} from './helpers.js';

test('a missing or wrong token gets 401 in Webex error shape with a trackingid header', async t => {
	const world = await startWorld(t);
	for (const token of [undefined, 'not-a-token']) {
		const answer = await call(world.sandbox, token, 'GET', '/people/me');
		t.is(answer.status, 401);
		const trackingId = answer.headers.get('trackingid');
		t.truthy(trackingId);
		t.deepEqual(Object.keys(answer.json).sort(), ['errors', 'message', 'trackingId']);
		t.is(answer.json.trackingId, trackingId);
		t.is(answer.json.errors[0].description, answer.json.message);
	}
});

test('successful answers carry a trackingid header too, a fresh one each time', async t => {
	const world = await startWorld(t);
	const first = await call(world.sandbox, world.bob.token, 'GET', '/people/me');
	const second = await call(world.sandbox, world.bob.token, 'GET', '/people/me');
	t.is(first.status, 200);
	t.truthy(first.headers.get('trackingid'));
	t.not(first.headers.get('trackingid'), second.headers.get('trackingid'));
});

test('a client TrackingID is echoed back', async t => {
	const world = await startWorld(t);
	const response = await fetch(`${world.sandbox.url}/people/me`, {headers: {authorization: `Bearer ${world.bob.token}`, trackingid: 'globobot_1234_0'}});
	t.is(response.headers.get('trackingid'), 'globobot_1234_0');
});

test('unknown paths are 404 and unsupported methods 405, both in Webex error shape', async t => {
	const world = await startWorld(t);
	const missing = await call(world.sandbox, world.bob.token, 'GET', '/nothing-here');
	t.is(missing.status, 404);
	t.truthy(missing.json.message);
	const wrongMethod = await call(world.sandbox, world.bob.token, 'PATCH', '/webhooks');
	t.is(wrongMethod.status, 405);
	t.truthy(wrongMethod.json.trackingId);
});

test('a non-JSON content type is 415, a malformed or missing body 400', async t => {
	const world = await startWorld(t);
	const post = (body: string, type?: string) =>
		fetch(`${world.sandbox.url}/messages`, {method: 'POST', headers: {authorization: `Bearer ${world.alice.token}`, ...(type ? {'content-type': type} : {})}, body});
	t.is((await post('roomId=x&text=hi', 'application/x-www-form-urlencoded')).status, 415);
	const malformed = await post('{"roomId": ', 'application/json');
	t.is(malformed.status, 400);
	t.truthy(((await malformed.json()) as {message: string}).message);
	t.is((await post('', 'application/json')).status, 400);
});
