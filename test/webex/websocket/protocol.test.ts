// Reading frames leniently (only what a post needs is required), the two
// ways to the REST id, and a Mercury that never says "ready".
import type {AddressInfo} from 'node:net';
import test from 'ava';
import {WebSocketServer} from 'ws';
import {openConnection} from '../../../source/webex/websocket/connection.js';
import {constructedMessageId, messageLookupUrl, parseActivity} from '../../../source/webex/websocket/protocol.js';

const frame = (activity: Record<string, unknown>) => ({id: 'frame-1', data: {eventType: 'conversation.activity', activity}});

test('parses a post; tags tell a direct room; other frames are not activities', t => {
	const parsed = parseActivity(frame({id: 'a-1', verb: 'post', published: '2026-12-01T10:00:00.000Z', target: {id: 'c-1', url: 'https://conv-a.wbx2.com/conversation/api/v1/conversations/c-1', tags: ['ONE_ON_ONE']}}));
	t.like(parsed, {frameId: 'frame-1', activityId: 'a-1', verb: 'post', direct: true, published: Date.parse('2026-12-01T10:00:00.000Z')});
	t.false(parseActivity(frame({id: 'a-2', verb: 'post', target: {tags: []}}))!.direct);
	t.is(parseActivity({id: 'x', data: {eventType: 'mercury.buffer_state'}}), undefined);
	t.is(parseActivity({type: 'pong', id: 'p'}), undefined);
	t.is(parseActivity(frame({verb: 'post'})), undefined, 'no activity id');
	t.is(parseActivity(null), undefined);
});

test('the lookup URL swaps conversations/<id> for messages/<activity id>; none without a conversation URL', t => {
	const activity = parseActivity(frame({id: 'a-1', verb: 'post', target: {id: 'c-1', url: 'https://conv-a.wbx2.com/conversation/api/v1/conversations/c-1'}}))!;
	t.is(messageLookupUrl(activity), 'https://conv-a.wbx2.com/conversation/api/v1/messages/a-1');
	t.is(messageLookupUrl({...activity, conversationUrl: 'https://elsewhere.example/other'}), undefined);
	t.is(messageLookupUrl({...activity, conversationUrl: undefined}), undefined);
	t.is(Buffer.from(constructedMessageId(activity), 'base64url').toString(), 'ciscospark://us/MESSAGE/a-1');
	t.false(constructedMessageId(activity).includes('='), 'unpadded');
});

test('a Mercury that sends no ready frame is called ready after the grace period; pings still flow', async t => {
	const server = new WebSocketServer({port: 0, host: '127.0.0.1'});
	t.teardown(() => server.close());
	const seen: string[] = [];
	server.on('connection', socket => {
		socket.on('message', data => {
			const received = JSON.parse(data.toString()) as {type: string; id: string};
			seen.push(received.type);
			if (received.type === 'ping') socket.send(JSON.stringify({type: 'pong', id: received.id}));
		});
	});
	await new Promise(resolve => server.once('listening', resolve));
	const {port} = server.address() as AddressInfo;
	const started = Date.now();
	const connection = await openConnection({url: `ws://127.0.0.1:${port}/messages`, token: 't', pingIntervalMs: 30, pongTimeoutMs: 100, readyTimeoutMs: 5000, readyGraceMs: 150, onFrame: () => undefined});
	t.true(Date.now() - started >= 140);
	await new Promise(resolve => setTimeout(resolve, 150));
	t.is(seen[0], 'authorization');
	t.true(seen.filter(type => type === 'ping').length >= 2);
	connection.close();
	t.like(await connection.closed, {kind: 'closed'});
});
