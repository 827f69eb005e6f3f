import test from 'ava';
import fc from 'fast-check';
import {hasUnsafeCharacters, safeText} from '../../source/terminal/safeText.js';

test('an OSC 52 clipboard write is shown, not obeyed', t => {
	const name = 'x\u001b]52;c;cm0gLXJmIH4=\u0007';
	t.is(safeText(name), 'x\\x1b]52;c;cm0gLXJmIH4=\\x07');
});

test('carriage returns, colours, C1 and bidi overrides become visible escapes', t => {
	t.is(safeText('ok\rEVIL'), 'ok\\x0dEVIL');
	t.is(safeText('\u001b[31mred'), '\\x1b[31mred');
	t.is(safeText('a\u009bb'), 'a\\x9bb');
	t.is(safeText('abc\u202Efdp.exe'), 'abc\\u202efdp.exe');
	t.is(safeText('tab\there'), 'tab\\x09here');
});

test('ordinary text, accents and emoji are left alone', t => {
	t.is(safeText('Café Ops ◆ 🎉 Ünïcode'), 'Café Ops ◆ 🎉 Ünïcode');
	t.false(hasUnsafeCharacters('Café Ops'));
	t.true(hasUnsafeCharacters('a\u0007'));
});

test('property: the result never holds a control character', t => {
	fc.assert(fc.property(fc.string({unit: 'binary'}), text => !/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/.test(safeText(text))));
	t.pass();
});
