import test from 'ava';
import {render} from 'ink-testing-library';
import {loadConfig} from '../../source/config.js';
import {startDemoSession} from '../../source/commands/tui.js';
import type {Sandbox} from '../../source/sandbox/types.js';
import {App} from '../../source/ui/App.js';
import {demoChat} from '../../source/ui/DemoChat.js';
import {KeyProvider} from '../../source/ui/components/KeyProvider.js';
import {keys, plain, press, settle, type, waitForFrame, waitForText} from '../helpers/ink.js';

/** The chat pane's text (right of the activity pane), its rows joined so wrapped lines read whole. */
function chatPane(frame: string): string {
	return frame
		.split('\n')
		.filter(row => row.includes('││'))
		.map(row => (row.split('││')[1] ?? '').replace(/│\s*$/, ''))
		.join(' ')
		.replace(/\s+/g, ' ');
}

const waitForChat = async (lastFrame: () => string | undefined, text: RegExp) => chatPane(await waitForFrame(lastFrame, frame => text.test(chatPane(frame))));

async function startDemoApp(t: import('ava').ExecutionContext) {
	const session = await startDemoSession(loadConfig({}, {}), {withListener: true});
	t.teardown(async () => session.close());
	t.truthy(session.chat, 'the demo session brings its chat pane');
	const ui = render(
		<App
			client={session.client}
			api={session.api}
			listener={session.listener}
			targetUrl={session.targetUrl}
			database={session.database}
			secrets={session.secrets}
			notice={session.notice}
			chat={session.chat}
		/>,
	);
	t.teardown(ui.unmount);
	// A 45-row terminal, as in the tmux run: ink-testing-library's stdout has no rows (the App assumes 24, which leaves the chat 2 rows).
	Object.assign(ui.stdout, {rows: 45});
	ui.stdout.emit('resize');
	await waitForText(ui.lastFrame, 'Waiting for deliveries');
	return {session, ...ui, ...session.demo!};
}

test('in the demo, asking @globobot in the group room brings the balance by DM and a note in the thread', async t => {
	const {lastFrame, stdin, sandbox, world} = await startDemoApp(t);
	t.regex(plain(lastFrame()), /Chat as Alice Admin in Globomantics Ops/);

	await press(stdin, 'c');
	await type(stdin, '@globobot what is the balance for acct100?');
	await press(stdin, keys.enter);

	const chat = await waitForChat(lastFrame, /↳ globobot: I sent you the answer by direct message\./);
	t.regex(chat, /Alice Admin: @globobot what is the balance for acct100\?/);
	t.regex(chat, /→ direct globobot: balance for ACCT100: 40\.00 USD/);
	// Sent as a Webex client sends it: a real mention, so the bot was told.
	const asked = sandbox.messages({roomId: world.opsRoom.id, personId: world.alice.person.id});
	t.deepEqual(asked.map(message => message.mentionedPeople), [[world.bot.person.id]]);
	// The input is empty again (what shows there now is the placeholder): the next key starts afresh.
	await type(stdin, 'x');
	t.regex(chatPane(plain(lastFrame())), /› x /);
});

test('as Bob in his direct room no mention is needed, and an empty Enter sends nothing', async t => {
	const {lastFrame, stdin, sandbox, world} = await startDemoApp(t);
	await press(stdin, 'c');
	await press(stdin, keys.tab);
	await press(stdin, keys.down);
	await waitForText(lastFrame, 'Chat as Bob Teller in direct with globobot');

	const before = sandbox.messages().length;
	await press(stdin, keys.enter);
	await type(stdin, '   ');
	await press(stdin, keys.enter);
	await sandbox.idle();
	t.is(sandbox.messages().length, before, 'blank input posts nothing');

	await type(stdin, 'what is the balance for acct100?');
	await press(stdin, keys.enter);
	const chat = await waitForChat(lastFrame, /globobot: balance for ACCT100: 40\.00 USD/);
	t.regex(chat, /Bob Teller: what is the balance for acct100\?/);
	t.false(chat.includes('→ direct'), 'in the direct room its own messages are not marked');
	t.true(sandbox.messages({roomId: world.bobDirect.id}).some(message => message.personId === world.bot.person.id));

	// Esc gives the keyboard back: `q`-less keys reach the webhook list again.
	await press(stdin, keys.escape);
	await press(stdin, '?');
	await waitForText(lastFrame, 'Keys');
});

test('a send the sandbox refuses is shown in the pane and the draft is kept', async t => {
	const {session, sandbox, world} = await startDemoApp(t);
	t.truthy(session);
	const refusing = new Proxy(sandbox, {
		get(target, property, receiver) {
			if (property === 'sendMessage') return async () => Promise.reject(Object.assign(new Error('sendMessage: 404 Could not find a room with provided ID.'), {status: 404}));
			const value: unknown = Reflect.get(target, property, receiver);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	}) as Sandbox;
	const Chat = demoChat(refusing, world);
	const {lastFrame, stdin, unmount} = render(
		<KeyProvider>
			<Chat focused height={6} onLeave={() => undefined} />
		</KeyProvider>,
	);
	t.teardown(unmount);
	await settle();
	await type(stdin, 'hello');
	await press(stdin, keys.enter);
	const frame = await waitForText(lastFrame, '✘ Not sent');
	t.regex(frame, /Could not find a room with provided ID/);
	t.regex(frame, /› hello/);
});
