import test from 'ava';
import {render} from 'ink-testing-library';
import {Header} from '../../../source/ui/components/Header.js';
import {plain, waitForFrame} from '../../helpers/ink.js';

test('the header shows the live event sources and counters, each line cut at the edge, a hostile name escaped', async t => {
	const header = (
		<Header
			bot={{displayName: 'bot\u001B]52;c;eA==\u0007', email: 'bot@webex.bot'}}
			botLoading={false}
			api={{kind: 'webex', url: 'https://webexapis.com/v1'}}
			listener={{status: 'running', sources: [{kind: 'webhook', summary: 'webhook https://bot.example.com/wtwebhook', live: true, targetUrl: 'https://bot.example.com/wtwebhook'}, {kind: 'websocket', summary: 'websocket reconnecting', live: false}]}}
			counters={{received: 3, replied: 2, rejected: 1, denied: 0, failed: 0, duplicate: 0, ignored: 0}}
			database="sqlite /home/operator/.globobot/crm.db"
		/>
	);
	const {lastFrame, stdout, unmount, rerender} = render(header);
	t.teardown(unmount);
	// With CI set, Ink does not listen for resizes, and the Header alone has no size hook: render again at the new width.
	Object.defineProperty(stdout, 'columns', {value: 200, configurable: true});
	stdout.emit('resize');
	rerender(header);
	// Re-laid out at 200 columns: the whole second line fits.
	const frame = await waitForFrame(lastFrame, drawn => plain(drawn).includes('db sqlite'));
	t.false(frame.includes('\u001B]52'));
	const lines = plain(frame).split('\n');
	t.is(lines.length, 2, 'two lines, nothing wrapped');
	t.regex(lines[0]!, /bot\\x1b\]52;c;eA==\\x07 <bot@webex\.bot>/);
	t.regex(lines[1]!, /^received 3 replied 2 rejected 1 · ● webhook https:\/\/bot\.example\.com\/wtwebhook · ○ websocket reconnecting · db sqlite/);
	Object.defineProperty(stdout, 'columns', {value: 60, configurable: true});
	stdout.emit('resize');
	rerender(header);
	const narrow = plain(await waitForFrame(lastFrame, drawn => plain(drawn).split('\n').every(line => [...line].length <= 60))).split('\n');
	t.is(narrow.length, 2, 'cut, not wrapped, at 60 columns');
	t.true(narrow.every(line => [...line].length <= 60));
	t.regex(narrow[1]!, /^received 3 replied 2 rejected 1 · ● webhook/, 'the counters come first, so a narrow terminal keeps them');
});
