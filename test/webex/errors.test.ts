import test from 'ava';
import {WebexError, parseErrorBody, webexMessageOf} from '../../source/webex/errors.js';

test('the message names the call, the status, Webex\'s explanation and the trackingId', t => {
	const error = new WebexError({status: 401, webexMessage: 'The request requires a valid access token', method: 'GET', path: '/people/me', trackingId: 'NA_123'});
	t.is(error.message, 'Webex GET /people/me failed: 401 The request requires a valid access token (trackingId NA_123)');
	t.true(error instanceof Error);
	t.is(error.name, 'WebexError');
});

test('a failure without an answer says so', t => {
	const error = new WebexError({status: 0, webexMessage: 'timed out after 50 ms', method: 'POST', path: '/messages', systemCode: 'ETIMEDOUT'});
	t.is(error.message, 'Webex POST /messages failed: no response (timed out after 50 ms)');
	t.true(error.isNetworkError);
});

test('Webex\'s explanation is the body message, else errors[0].description, else the status text', t => {
	t.is(webexMessageOf(parseErrorBody('{"message":"Required request body is missing","errors":[{"description":"d"}],"trackingId":"NA_1"}'), 'Bad Request', 400), 'Required request body is missing');
	t.is(webexMessageOf(parseErrorBody('{"errors":[{"description":"Only the description"}]}'), 'Bad Request', 400), 'Only the description');
	t.is(webexMessageOf(parseErrorBody('<html><body>Too many</body></html>'), 'Too Many Requests', 429), 'Too Many Requests');
	t.is(webexMessageOf(parseErrorBody(''), '', 599), 'HTTP 599');
});

test('the trackingId is read from the JSON body; a non-JSON body yields nothing', t => {
	t.is(parseErrorBody('{"message":"m","trackingId":"ROUTER_1"}').trackingId, 'ROUTER_1');
	t.deepEqual(parseErrorBody('{not json'), {});
	t.deepEqual(parseErrorBody('["a"]'), {});
});

test('every failure carries one code that says what it means', t => {
	const code = (status: number) => new WebexError({status, webexMessage: 'x', method: 'GET', path: '/x'}).code;
	t.is(code(0), 'unreachable');
	t.is(code(429), 'rate-limited');
	t.is(code(503), 'unavailable');
	t.is(code(401), 'unauthorised');
	t.is(code(404), 'not-found');
	t.is(code(400), 'rejected');
	t.is(code(409), 'rejected');
});
