import test from 'ava';
import {keypresses} from '../../source/ui/keypress.js';
import {actionFor, footerHints, helpRows, keymap, type Scope} from '../../source/ui/keymap.js';

const width = (hints: ReturnType<typeof footerHints>) => hints.map(({key, action}) => `${key} ${action}`).join('  ').length;
const press = (chunk: string) => keypresses(chunk)[0]!;

test('the footer keeps c, ? and q at 60 and 80 columns and never overflows', t => {
	for (const columns of [60, 80, 120]) {
		const hints = footerHints('list', columns, {chat: true});
		t.true(width(hints) <= columns, `${columns} columns: ${width(hints)}`);
		t.deepEqual(
			['c', '?', 'q'].filter(key => !hints.some(hint => hint.key === key)),
			[],
			`${columns} columns`,
		);
	}
	t.true(footerHints('list', 200, {chat: true}).some(hint => hint.key === 'Tab'), 'a wide terminal shows every key');
	t.false(footerHints('list', 200).some(hint => hint.key === 'c'), 'no chat, no c');
});

test('every scope’s footer fits 60 columns with its essential keys', t => {
	for (const scope of Object.keys(keymap) as Scope[]) {
		const hints = footerHints(scope, 60, {chat: true});
		t.true(width(hints) <= 60, scope);
		for (const binding of keymap[scope].filter(binding => binding.essential && binding.footer)) t.true(hints.some(hint => hint.key === binding.label), `${scope}: ${binding.label}`);
	}
});

test('keys mean what the footer and help say they mean', t => {
	t.is(actionFor('list', press('j').input, press('j').key), 'move-down');
	t.is(actionFor('list', '', press('\u001B[A').key), 'move-up');
	t.is(actionFor('list', 'c', press('c').key), undefined, 'c is nothing without a chat pane');
	t.is(actionFor('list', 'c', press('c').key, {chat: true}), 'focus-chat');
	t.is(actionFor('form', '', press('\u001B[Z').key), 'previous-field', 'Shift-Tab goes back');
	t.is(actionFor('form', '', press('\t').key), 'next-field');
	t.is(actionFor('global', 'c', press('\u0003').key), 'quit');
	t.is(actionFor('confirm', 'x', press('x').key), 'cancel');
	t.is(actionFor('confirm', 'y', press('y').key), 'confirm');
	const rows = helpRows('list', {chat: true});
	t.true(rows.some(row => row.key === 'c'));
	t.true(rows.some(row => row.key === 'Ctrl-C'));
});
