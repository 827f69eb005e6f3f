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
