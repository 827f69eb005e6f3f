import test from 'ava';
import {chatLines, composeMessage, messageText, roomLabel} from '../../source/ui/chat.js';
import type {SandboxMessage} from '../../source/sandbox/types.js';

const bot = {id: 'BOT1', displayName: 'globobot'};

test('a typed @globobot becomes a Webex mention in markdown, whatever its case', t => {
	t.deepEqual(composeMessage('@globobot what is the balance for acct100?', bot), {markdown: '<@personId:BOT1|globobot> what is the balance for acct100?'});
	t.deepEqual(composeMessage('hey @GloboBot, acct100?', bot), {markdown: 'hey <@personId:BOT1|globobot>, acct100?'});
});

test('without a mention, or with a longer name, the message is plain text', t => {
	t.deepEqual(composeMessage('what is the balance for acct100?', bot), {text: 'what is the balance for acct100?'});
	t.deepEqual(composeMessage('ask @globobots or mail @globobot.example', bot), {text: 'ask @globobots or mail @globobot.example'});
});

test('a mention is shown as @Label, as a Webex client shows it', t => {
	t.is(messageText({markdown: '<@personId:BOT1|globobot> hi', text: 'globobot hi'}), '@globobot hi');
	t.is(messageText({text: 'plain'}), 'plain');
});

const message = (fields: Partial<SandboxMessage> & Pick<SandboxMessage, 'id' | 'roomId' | 'personId'>): SandboxMessage => ({
	roomType: 'group',
	personEmail: `${fields.personId}@example.com`,
	created: '2026-01-01T00:00:00.000Z',
	text: '',
	...fields,
});

test('beside a group room the person’s direct messages with the bot are marked, threads and lines kept apart', t => {
	const names = new Map([
		['ALICE', 'Alice Admin'],
		['BOT1', 'globobot'],
	]);
	const messages = [
		message({id: 'm1', roomId: 'OPS', personId: 'ALICE', markdown: '<@personId:BOT1|globobot> acct100 acct200'}),
		message({id: 'm2', roomId: 'DM', roomType: 'direct', personId: 'BOT1', text: 'balance for ACCT100: 40.00 USD\nbalance for ACCT200: 1.00 USD'}),
		message({id: 'm3', roomId: 'OPS', personId: 'BOT1', parentId: 'm1', text: 'I sent you the answer by direct message.'}),
		message({id: 'm4', roomId: 'OTHER', personId: 'ALICE', text: 'elsewhere'}),
	];
	const group = chatLines(messages, {room: {id: 'OPS', type: 'group'}, direct: {id: 'DM'}, names, botId: 'BOT1'});
	t.deepEqual(
		group.map(line => [line.sender, line.via ?? '', line.inThread, line.fromBot, line.text]),
		[
			['Alice Admin', '', false, false, '@globobot acct100 acct200'],
			['globobot', 'direct', false, true, 'balance for ACCT100: 40.00 USD'],
			['', 'direct', false, true, 'balance for ACCT200: 1.00 USD'],
			['globobot', '', true, true, 'I sent you the answer by direct message.'],
		],
	);
	const direct = chatLines(messages, {room: {id: 'DM', type: 'direct'}, direct: {id: 'DM'}, names, botId: 'BOT1'});
	t.deepEqual(
		direct.map(line => [line.via ?? '', line.text]),
		[
			['', 'balance for ACCT100: 40.00 USD'],
			['', 'balance for ACCT200: 1.00 USD'],
		],
	);
});

test('room labels say which room', t => {
	t.is(roomLabel({title: 'Globomantics Ops', type: 'group'}, 'globobot'), 'Globomantics Ops');
	t.is(roomLabel({title: 'Alice Admin', type: 'direct'}, 'globobot'), 'direct with globobot');
});
