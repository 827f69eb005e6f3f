import test from 'ava';
import {render} from 'ink-testing-library';
import {loadConfig} from '../../source/config.js';
import {startDemoSession} from '../../source/commands/tui.js';
import {App} from '../../source/ui/App.js';
import {plain, waitForText} from '../helpers/ink.js';

test('the activity pane shows the embedded listener answering a delivery, without text or balance', async t => {
	const session = await startDemoSession(loadConfig({}, {}), {withListener: true});
	t.teardown(async () => session.close());
	const {sandbox, world} = session.demo!;

	const {lastFrame, unmount} = render(
		<App client={session.client} api={session.api} listener={session.listener} targetUrl={session.targetUrl} database={session.database} secrets={session.secrets} notice={session.notice} />,
	);
	t.teardown(unmount);
	await waitForText(lastFrame, 'Waiting for deliveries');
	// The demo registered its webhook at the embedded listener: marked as ours.
	t.regex(plain(lastFrame()), /◆\s+globobot demo/);

	await sandbox.sendMessage(world.alice.token, {
		roomId: world.opsRoom.id,
		markdown: `<@personId:${world.bot.person.id}|globobot> what is the balance for acct100?`,
	});
	const frame = await waitForText(lastFrame, /replied\s+alice@globomantics\.com ACCT100/);
	t.regex(frame, /\d\d:\d\d:\d\d replied/);
	t.regex(frame, /received \d+ replied 1 rejected 0/, 'the header counters follow');
	t.false(frame.includes('what is the balance'), 'never the message text');
	// A clock reading such as 03:40:12 holds a bare 40, so the times go before the balance is looked for.
	const activity = (frame.split('Activity')[1] ?? '').replaceAll(/\d\d:\d\d:\d\d/g, '');
	t.false(/\b40(\.00)?\b|USD/.test(activity), 'never the balance');
	// The header shows the listener's event source, live, where Webex delivers.
	t.regex(frame, /● webhook http:\/\/127\.0\.0\.1:\d+\/wtwebhook/);
	// The bot's own messages (its reply and its note) come back as deliveries: counted, not a line each.
	const folded = await waitForText(lastFrame, /Activity · \d+ own messages? ignored/);
	t.false(/ignored self/.test(folded));
	// And the bot did answer in the room.
	t.true(sandbox.messages({roomId: world.opsRoom.id}).some(message => message.personId === world.bot.person.id));
});
