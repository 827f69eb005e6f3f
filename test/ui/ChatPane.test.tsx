import test from 'ava';
import {render} from 'ink-testing-library';
import {useState} from 'react';
import {ChatPane, type ChatPaneViewProps} from '../../source/ui/components/ChatPane.js';
import {KeyProvider} from '../../source/ui/components/KeyProvider.js';
import type {ChatLine} from '../../source/ui/chat.js';
import {keys, plain, press, settle, type} from '../helpers/ink.js';

const line = (key: string, sender: string, text: string, extra: Partial<ChatLine> = {}): ChatLine => ({key, sender, text, fromBot: false, inThread: false, ...extra});

interface Calls {
	submitted: string[];
	left: number;
	nextPerson: number;
	nextRoom: number;
}

/** The pane with its draft held in state, as useChat holds it, and every callback counted. */
function renderPane(props: Partial<ChatPaneViewProps> = {}) {
	const calls: Calls = {submitted: [], left: 0, nextPerson: 0, nextRoom: 0};
	function Harness() {
		const [draft, setDraft] = useState('');
		return (
			<ChatPane
				focused
				height={5}
				title="Chat as Alice Admin in Globomantics Ops"
				lines={[]}
				placeholder="e.g. @globobot what is the balance for acct100?"
				sending={false}
				draft={draft}
				onDraftChange={setDraft}
				onSubmit={() => calls.submitted.push(draft)}
				onLeave={() => calls.left++}
				onNextPerson={() => calls.nextPerson++}
				onNextRoom={() => calls.nextRoom++}
				{...props}
			/>
		);
	}
	return {
		calls,
		...render(
			<KeyProvider>
				<Harness />
			</KeyProvider>,
		),
	};
}

test('the title says who is typing where, and the last messages fill the rows', t => {
	const lines = [
		line('1', 'Bob Teller', 'first, scrolled away'),
		line('2', 'Alice Admin', '@globobot what is the balance for acct100?'),
		line('3', 'globobot', 'balance for ACCT100: 40.00 USD', {fromBot: true, via: 'direct'}),
		line('4', 'globobot', 'I sent you the answer by direct message.', {fromBot: true, inThread: true}),
	];
	const {lastFrame, unmount} = renderPane({lines, height: 5});
	t.teardown(unmount);
	const frame = plain(lastFrame());
	t.true(frame.includes('Chat as Alice Admin in Globomantics Ops'));
	t.false(frame.includes('first, scrolled away'), 'only the last height - 2 rows');
	t.regex(frame, /Alice Admin: @globobot what is the balance for acct100\?/);
	t.regex(frame, /→ direct globobot: balance for ACCT100: 40\.00 USD/);
	t.regex(frame, /↳ globobot: I sent you the answer by direct message\./);
	t.regex(frame, /Enter send\s+Tab person\s+↑↓ room\s+Esc leave/);
});

test('typing fills the input and Enter hands the draft over', async t => {
	const {lastFrame, stdin, unmount, calls} = renderPane();
	t.teardown(unmount);
	await settle();
	t.regex(plain(lastFrame()), /› e\.g\. @globobot what is the balance for acct100\?/, 'the placeholder suggests what to type');
	await type(stdin, '@globobot acct100');
	t.regex(plain(lastFrame()), /› @globobot acct100/);
	await press(stdin, keys.enter);
	t.deepEqual(calls.submitted, ['@globobot acct100']);
});

test('Tab switches person, the arrows switch room, Esc leaves, and none of them types', async t => {
	const {lastFrame, stdin, unmount, calls} = renderPane();
	t.teardown(unmount);
	await settle();
	await type(stdin, 'hi');
	await press(stdin, keys.tab);
	await press(stdin, keys.up);
	await press(stdin, keys.down);
	await press(stdin, keys.escape);
	t.deepEqual({person: calls.nextPerson, room: calls.nextRoom, left: calls.left}, {person: 1, room: 2, left: 1});
	t.regex(plain(lastFrame()), /› hi\s/);
});

test('without focus the pane ignores keys and says how to focus it', async t => {
	const {lastFrame, stdin, unmount, calls} = renderPane({focused: false});
	t.teardown(unmount);
	await settle();
	await type(stdin, 'x');
	await press(stdin, keys.enter);
	await press(stdin, keys.escape);
	t.deepEqual(calls, {submitted: [], left: 0, nextPerson: 0, nextRoom: 0});
	t.regex(plain(lastFrame()), /c to chat/);
});

test('a failed send is shown in place of the key hint', t => {
	const {lastFrame, unmount} = renderPane({error: 'Could not find a room with provided ID.'});
	t.teardown(unmount);
	const frame = plain(lastFrame());
	t.regex(frame, /✘ Not sent: Could not find a room with provided ID\./);
	t.false(frame.includes('Enter send'));
});

test('while sending it says so', t => {
	const {lastFrame, unmount} = renderPane({sending: true});
	t.teardown(unmount);
	t.regex(plain(lastFrame()), /Sending…/);
});
