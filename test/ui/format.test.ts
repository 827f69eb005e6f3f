import test from 'ava';
import {WebexError} from '../../source/webex/errors.js';
import {describeError, outcomeLabel, shortenFilter} from '../../source/ui/format.js';

test('long filter values (opaque ids) are shortened, short ones kept', t => {
	t.is(shortenFilter('mentionedPeople=me'), 'mentionedPeople=me');
	t.is(shortenFilter('roomId=Y2lzY29zcGFyazovL3VzL1JPT00vYWJj&roomType=group'), 'roomId=Y2lzY29zcG…&roomType=group');
	t.is(shortenFilter(undefined), '—');
});

test('a WebexError is shown with Webex’s own message, its status and trackingId', t => {
	const error = new WebexError({status: 404, webexMessage: 'The requested resource could not be found.', method: 'DELETE', path: '/webhooks/x', trackingId: 'ROUTER_123'});
	t.deepEqual(describeError(error), {message: 'The requested resource could not be found.', status: 404, trackingId: 'ROUTER_123', code: 'not-found'});
	const offline = new WebexError({status: 0, webexMessage: 'connect ECONNREFUSED 127.0.0.1:9', method: 'GET', path: '/people/me', systemCode: 'ECONNREFUSED'});
	t.deepEqual(describeError(offline), {message: 'no answer from the API (ECONNREFUSED)', status: undefined, trackingId: undefined, code: 'unreachable'});
});

test('a failed event shows Webex’s status', t => {
	t.is(outcomeLabel({outcome: 'failed', at: '2026-01-01T00:00:00Z', status: 403}), 'error (Webex 403)');
	t.is(outcomeLabel({outcome: 'rejected', at: '2026-01-01T00:00:00Z', reason: 'bad-signature'}), 'rejected bad-signature');
});

test('a question found by catch-up after downtime says so', t => {
	t.is(outcomeLabel({outcome: 'received', at: '2026-01-01T00:00:00Z', source: 'catch-up'}), 'caught up');
	t.is(outcomeLabel({outcome: 'received', at: '2026-01-01T00:00:00Z'}), 'received');
});
