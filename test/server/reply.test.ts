import test from 'ava';
import type {Account} from '../../source/crm/types.js';
import {balanceText, helpText, refusalText, routeReply, sentPrivatelyText} from '../../server/reply.js';

const account = (id: string, due: number, paid: number, currency = 'USD'): Account => ({id, due, paid, currency, updatedAt: '2026-01-01T00:00:00Z'});
const accounts = new Map([
	['ACCT100', account('ACCT100', 10_000, 6000)],
	['ACCT200', account('ACCT200', 6000, 7000)],
	['ACCT300', account('ACCT300', 0, 0)],
	['ACCT400', account('ACCT400', 1500, 0, 'JPY')],
]);

test('one line per account in the original wording, unknown ones said so', t => {
	t.is(
		balanceText(['ACCT100', 'ACCT200', 'ACCT300', 'ACCT999', 'ACCT400'], accounts),
		['balance for ACCT100: 40.00 USD', 'balance for ACCT200: -10.00 USD', 'balance for ACCT300: 0.00 USD', 'no account ACCT999', 'balance for ACCT400: 1500 JPY'].join('\n'),
	);
});

test('help gives an example with the bot name', t => {
	t.regex(helpText('globobot'), /@globobot .*ACCT100/);
});

test('the refusal names no account and no figure', t => {
	t.notRegex(refusalText, /ACCT|\d/);
});

const request = {id: 'M1', roomId: 'R1', personId: 'P1'};

test('direct room: the answer goes to the room', t => {
	t.deepEqual(routeReply({...request, roomType: 'direct'}, {kind: 'balances', text: 'balance for ACCT1: 1.00 USD'}, 'dm'), [{roomId: 'R1', text: 'balance for ACCT1: 1.00 USD'}]);
});

test('group room, default: figures privately, a pointer without figures in the thread', t => {
	const messages = routeReply({...request, roomType: 'group'}, {kind: 'balances', text: 'balance for ACCT1: 1.00 USD'}, 'dm');
	t.deepEqual(messages, [
		{toPersonId: 'P1', text: 'balance for ACCT1: 1.00 USD'},
		{roomId: 'R1', parentId: 'M1', text: sentPrivatelyText},
	]);
	t.notRegex(sentPrivatelyText, /\d/);
});

test('group room with GLOBOBOT_GROUP_REPLY=room: figures in the thread', t => {
	t.deepEqual(routeReply({...request, roomType: 'group'}, {kind: 'balances', text: 'x'}, 'room'), [{roomId: 'R1', parentId: 'M1', text: 'x'}]);
});

test('a request inside a thread is answered in that thread (threads are one level deep)', t => {
	t.deepEqual(routeReply({...request, roomType: 'group', parentId: 'ROOT'}, {kind: 'help', text: 'h'}, 'dm'), [{roomId: 'R1', parentId: 'ROOT', text: 'h'}]);
});

test('help and refusals stay in the group thread', t => {
	t.deepEqual(routeReply({...request, roomType: 'group'}, {kind: 'refusal', text: refusalText}, 'dm'), [{roomId: 'R1', parentId: 'M1', text: refusalText}]);
});
