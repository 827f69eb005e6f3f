import test from 'ava';
import {render} from 'ink-testing-library';
import {useState} from 'react';
import {KeyProvider} from '../../../source/ui/components/KeyProvider.js';
import {TextField} from '../../../source/ui/components/TextField.js';
import {keys, plain, press, waitForText} from '../../helpers/ink.js';

function renderField(initial: string, props: {mask?: string} = {}) {
	const changes: string[] = [];
	function Harness() {
		const [value, setValue] = useState(initial);
		return (
			<TextField
				focused
				value={value}
				onChange={next => {
					changes.push(next);
					setValue(next);
				}}
				{...props}
			/>
		);
	}
	const ui = render(
		<KeyProvider>
			<Harness />
		</KeyProvider>,
	);
	return {changes, ...ui};
}

test('a burst of Backspaces deletes as many characters, and a pasted string is typed whole', async t => {
	const {lastFrame, stdin, changes, unmount} = renderField('http://127.0.0.1:5999/wtwebhook');
	t.teardown(unmount);
	await press(stdin, '');
	stdin.write(keys.backspace.repeat(14));
	await waitForText(lastFrame, /^http:\/\/127\.0\.0\.1: ?$/m);
	stdin.write('8080/x');
	const frame = await waitForText(lastFrame, 'http://127.0.0.1:8080/x');
	t.false(/[\u0000-\u001F\u007F]/.test(changes.at(-1) ?? ''), 'no control character got in');
	t.is(plain(frame).trim(), 'http://127.0.0.1:8080/x');
});

test('a value holding control characters is drawn with visible escapes, and a secret as dots', async t => {
	const hostile = renderField('a\u001B]52;c;eA==\u0007b');
	t.teardown(hostile.unmount);
	await press(hostile.stdin, '');
	const frame = hostile.lastFrame() ?? '';
	t.false(frame.includes('\u001B]52'));
	t.true(plain(frame).includes(String.raw`a\x1b]52;c;eA==\x07b`));

	const secret = renderField('hunter22', {mask: '•'});
	t.teardown(secret.unmount);
	await press(secret.stdin, '');
	t.false((secret.lastFrame() ?? '').includes('hunter22'));
	t.regex(plain(secret.lastFrame()), /•{8}/);
});
