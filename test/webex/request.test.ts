// What goes over the wire, seen by a bare HTTP server that records requests
// (it plays no part of Webex's behaviour; that is the sandbox's job in client.test.ts).
import {once} from 'node:events';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import test, {type ExecutionContext} from 'ava';
import {webexDispatcher} from '../../source/webex/dispatcher.js';
import {sendOnce, trackingIdSequence, type Transport, type WebexRequest} from '../../source/webex/request.js';
import {WebexError} from '../../source/webex/errors.js';
import {version} from '../../source/version.js';

const token = 'TOKEN-never-shown';

async function recordingServer(t: ExecutionContext, answer: (response: http.ServerResponse) => void) {
	const seen: http.IncomingHttpHeaders[] = [];
	const server = http.createServer((request, response) => {
		seen.push(request.headers);
		request.resume();
		answer(response);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	t.teardown(() => {
		server.closeAllConnections();
		server.close();
	});
	return {seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/people/me`};
}

function transport(overrides: Partial<Transport> = {}): Transport {
	return {token, timeoutMs: 2000, defaultRetryAfterMs: 15_000, dispatcher: webexDispatcher(), nextTrackingId: trackingIdSequence(), ...overrides};
}

function request(url: string): WebexRequest {
	return {method: 'GET', url, path: '/people/me', route: '/people/me'};
}

test('sends the bearer token, JSON accept, a TrackingID and globobot\'s User-Agent', async t => {
	const server = await recordingServer(t, response => {
		response.setHeader('content-type', 'application/json');
		response.end('{"id":"p1"}');
	});
	const wire = transport();
	await sendOnce(request(server.url), wire);
	await sendOnce(request(server.url), wire);
	const [first, second] = server.seen;
	t.is(first?.authorization, `Bearer ${token}`);
	t.is(first?.accept, 'application/json');
	t.is(first?.['user-agent'], `globobot-admin/${version}`);
	t.regex(String(first?.trackingid), /^globobot_[\da-f-]{36}_0$/);
	t.is(String(second?.trackingid), String(first?.trackingid).replace(/_0$/, '_1'));
});

test('a 429 with an HTML body becomes a WebexError with the Retry-After wait and the trackingid header', async t => {
	const server = await recordingServer(t, response => {
		response.writeHead(429, {'content-type': 'text/html', 'retry-after': '7', trackingid: 'NA_header'});
		response.end('<html><body>Too Many Requests</body></html>');
	});
	const error = await t.throwsAsync(sendOnce(request(server.url), transport()), {instanceOf: WebexError});
	t.is(error.status, 429);
	t.is(error.retryAfterMs, 7000);
	t.is(error.trackingId, 'NA_header');
	t.is(error.message, 'Webex GET /people/me failed: 429 Too Many Requests (trackingId NA_header)');
	t.false(JSON.stringify({...error, message: error.message, stack: error.stack}).includes(token));
});

test('an answer slower than the timeout is a status-0 timeout error that does not reveal the token', async t => {
	const server = await recordingServer(t, () => {
		// Never answers.
	});
	const error = await t.throwsAsync(sendOnce(request(server.url), transport({timeoutMs: 50})), {instanceOf: WebexError});
	t.is(error.status, 0);
	t.is(error.systemCode, 'ETIMEDOUT');
	t.is(error.code, 'unreachable');
	t.false(`${error.message} ${error.stack}`.includes(token));
});

test('reports each answer to the observer with a route label', async t => {
	const server = await recordingServer(t, response => {
		response.writeHead(204);
		response.end();
	});
	const seen: Array<{status: number; path: string}> = [];
	const answer = await sendOnce({method: 'DELETE', url: server.url, path: '/webhooks/abc', route: '/webhooks/{id}'}, transport({
		observer: {onResponse: ({status, path}) => seen.push({status, path})},
	}));
	t.is(answer.body, undefined);
	t.deepEqual(seen, [{status: 204, path: '/webhooks/{id}'}]);
});
