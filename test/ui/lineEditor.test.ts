import test from 'ava';
import fc from 'fast-check';
import {keypresses} from '../../source/ui/keypress.js';
import {editLine, type LineState} from '../../source/ui/lineEditor.js';

const typeInto = (start: LineState, chunk: string) => keypresses(chunk).reduce((line, press) => editLine(line, press) ?? line, start);

test('forty Backspaces in one burst delete forty characters and add nothing', t => {
	const url = 'http://127.0.0.1:5999/wtwebhook-and-some-more-text';
	const line = typeInto({value: url, cursor: [...url].length}, '\u007F'.repeat(40));
	t.is(line.value, url.slice(0, url.length - 40));
	t.false(/[\u0000-\u001F\u007F]/.test(line.value));
});

test('control characters are never inserted, whatever is pasted', t => {
	t.notThrows(() =>
		fc.assert(
		fc.property(fc.string({unit: 'binary', maxLength: 60}), pasted => {
			const line = typeInto({value: '', cursor: 0}, pasted);
			return !/[\u0000-\u001F\u007F-\u009F]/.test(line.value);
		}),
		),
	);
});

test('the cursor moves and edits where it is: ←, Home, Ctrl-U, Ctrl-W, Ctrl-K', t => {
	let line: LineState = {value: 'https://bot', cursor: 11};
	line = typeInto(line, '\u001B[D\u001B[D\u001B[D');
	line = typeInto(line, 'X');
	t.deepEqual(line, {value: 'https://Xbot', cursor: 9});
	t.deepEqual(typeInto(line, '\u0015'), {value: 'bot', cursor: 0});
	t.deepEqual(typeInto(line, '\u000B'), {value: 'https://X', cursor: 9});
	t.deepEqual(typeInto({value: 'one two three', cursor: 13}, '\u0017'), {value: 'one two ', cursor: 8});
	t.deepEqual(typeInto(line, '\u001B[H'), {value: 'https://Xbot', cursor: 0});
	t.is(editLine(line, keypresses('\r')[0]!), undefined, 'Enter is the form’s, not the field’s');
});

test('typing a string one key at a time or in one burst gives the same line', t => {
	t.notThrows(() =>
		fc.assert(
		fc.property(fc.string({maxLength: 30}), fc.string({maxLength: 30}), (start, typed) => {
			const begin = {value: start, cursor: [...start].length};
			const burst = typeInto(begin, typed);
			const oneByOne = [...typed].reduce((line, character) => typeInto(line, character), begin);
			return burst.value === oneByOne.value && burst.cursor === oneByOne.cursor;
		}),
		),
	);
});
