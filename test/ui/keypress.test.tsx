import test from 'ava';
import {Text, useInput, type Key} from 'ink';
import {render} from 'ink-testing-library';
import {keypresses} from '../../source/ui/keypress.js';
import {settle} from '../helpers/ink.js';

// Every key the TUI binds, as a terminal sends it alone.
const singles = ['a', 'G', ' ', '?', 'é', '\r', '\t', '\b', '\u007F', '\u0003', '\u0015', '\u001B', '\u001B[A', '\u001B[B', '\u001B[C', '\u001B[D', '\u001B[5~', '\u001B[6~', '\u001B[H', '\u001B[F', '\u001B[3~', '\u001B[Z', '\u001BOA'];

const flags = (key: Key) => Object.entries(key).filter(([name, value]) => value === true && name !== 'eventType').map(([name]) => name).sort();

/** What Ink's own useInput reports for each chunk written alone. */
async function inkReads(chunks: readonly string[]) {
	const seen: Array<{input: string; flags: string[]}> = [];
	function Probe() {
		useInput((input, key) => seen.push({input, flags: flags(key)}));
		return <Text>probe</Text>;
	}
	const ui = render(<Probe />);
	await settle();
	for (const chunk of chunks) {
		ui.stdin.write(chunk);
		// A lone ESC is held back by Ink until the next macrotask (it may start a sequence).
		await settle(3);
	}
	ui.unmount();
	return seen;
}

test('a key typed alone reads as Ink’s useInput reads it', async t => {
	const ink = await inkReads(singles);
	const ours = singles.map(chunk => keypresses(chunk)).flat().map(({input, key}) => ({input, flags: flags(key)}));
	t.deepEqual(ours, ink);
});

test('a burst is the same keys one after another, where Ink gives one input and loses the count', async t => {
	const backspaces = '\u007F'.repeat(40);
	const ink = await inkReads([backspaces]);
	t.is(ink.length, 1, 'Ink hands the forty over as one input');
	const ours = keypresses(backspaces);
	t.is(ours.length, 40);
	t.true(ours.every(({key}) => key.delete));

	const typed = keypresses('jjk');
	t.deepEqual(typed.map(({input}) => input), ['j', 'j', 'k']);
	const pasted = keypresses('a\rb\u0003');
	t.deepEqual(pasted.map(({input, key}) => [input, key.return, key.ctrl]), [['a', false, false], ['\r', true, false], ['b', false, false], ['c', false, true]]);
});
