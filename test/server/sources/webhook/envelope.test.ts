import test from 'ava';
import {parseEnvelope} from '../../../../server/sources/webhook/envelope.js';

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const data = {id: 'M1', roomId: 'R1', personId: 'P1', personEmail: 'a@example.com', roomType: 'group'};
const envelope = {id: 'W1', name: 'crm', resource: 'messages', event: 'created', actorId: 'P1', data};

test('a messages/created delivery is a message', t => {
	const result = parseEnvelope(body(envelope));
	t.is(result.kind, 'message');
	if (result.kind === 'message') t.deepEqual(result.message, data);
});

test('malformed JSON', t => {
	t.deepEqual(parseEnvelope(body('{"id":')), {kind: 'invalid', reason: 'malformed JSON'});
});

test('a missing required field is named', t => {
	for (const field of ['id', 'roomId', 'personId'] as const) {
		const {[field]: _omitted, ...rest} = data;
		t.deepEqual(parseEnvelope(body({...envelope, data: rest})), {kind: 'invalid', reason: `missing data.${field}`});
	}
	t.deepEqual(parseEnvelope(body({...envelope, data: {...data, id: ''}})), {kind: 'invalid', reason: 'missing data.id'});
	t.is(parseEnvelope(body({...envelope, data: undefined})).kind, 'invalid');
	t.is(parseEnvelope(body([1, 2])).kind, 'invalid');
});

test('other resources and events are not messages', t => {
	t.deepEqual(parseEnvelope(body({...envelope, event: 'deleted'})), {kind: 'other', resource: 'messages', event: 'deleted'});
	t.deepEqual(parseEnvelope(body({...envelope, resource: 'memberships', data: {id: 'X'}})), {kind: 'other', resource: 'memberships', event: 'created'});
});
