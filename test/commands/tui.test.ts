import test from 'ava';
import {runCli, tempHome} from '../helpers/cli.js';

test('without a terminal on stdin the TUI prints one line pointing at serve and webhooks list --json, and exits 2', async t => {
	const home = tempHome(t);
	const {code, stdout, stderr} = await runCli([], {GLOBOBOT_HOME: home, CI: 'false'});
	t.is(code, 2);
	t.is(stdout, '');
	const lines = stderr.trim().split('\n');
	t.is(lines.length, 1);
	t.regex(stderr, /globobot-admin serve/);
	t.regex(stderr, /webhooks list --json/);
	t.notRegex(stderr, /Raw mode/);
});

test('NO_COLOR, when set and not empty, turns the TUI’s colour off (read by the command, passed to the App)', async t => {
	const {colorAllowed} = await import('../../source/commands/tui.js');
	t.true(colorAllowed({}));
	t.true(colorAllowed({NO_COLOR: ''}));
	t.false(colorAllowed({NO_COLOR: '1'}));
});

test('with a proxy exported in the shell (here one that cannot be reached), the sandbox demo still answers: it never goes through it', async t => {
	const {startDemoSession} = await import('../../source/commands/tui.js');
	const {loadConfig} = await import('../../source/config.js');
	const {waitFor} = await import('../helpers/poll.js');
	const session = await startDemoSession(loadConfig({}, {HTTPS_PROXY: 'http://127.0.0.1:9'}), {withListener: true});
	t.teardown(async () => session.close());
	const {sandbox, world} = session.demo!;
	t.is((await session.client.people.me()).id, world.bot.person.id, 'the TUI’s own client reached the sandbox');
	await sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: `<@personId:${world.bot.person.id}|globobot> what is the balance for acct100?`});
	const replies = await waitFor('the bot’s reply', () => sandbox.messages({roomId: world.opsRoom.id}).filter(message => message.personId === world.bot.person.id), list => list.length > 0, 15_000);
	t.true(replies.length > 0);
});
