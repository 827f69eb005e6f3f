import test from 'ava';
import fc from 'fast-check';
import {parse} from 'lossless-json';
import {parseCrmFields, parsePointer, resolvePointer} from '../../../source/crm/sources/fields.js';

test('CRM_FIELDS maps each name to its pointer; currency and segment are optional', t => {
	t.deepEqual(parseCrmFields('due=/amounts/due,paid=/amounts/paid,currency=/currency'), {due: '/amounts/due', paid: '/amounts/paid', currency: '/currency', segment: undefined});
});

test('pointers follow RFC 6901: ~1 is /, ~0 is ~, array indexes are decimal', t => {
	const document = parse('{"a/b": {"m~n": [10, {"due": 12345678901234.10}]}, "": 1}');
	t.deepEqual(parsePointer('/a~1b/m~0n/1/due'), ['a/b', 'm~n', '1', 'due']);
	t.is(String(resolvePointer(document, '/a~1b/m~0n/1/due')), '12345678901234.10');
	t.is(String(resolvePointer(document, '/')), '1');
	t.is(resolvePointer(document, '/a~1b/m~0n/01'), undefined);
	t.is(resolvePointer(document, '/a~1b/m~0n/5'), undefined);
	t.is(resolvePointer(document, '/missing/deeper'), undefined);
	t.is(resolvePointer(document, '/a~1b/m~0n/length'), undefined);
});

test('any key survives being escaped into a pointer and resolved back', t => {
	fc.assert(
		fc.property(fc.string(), fc.string(), (outer, inner) => {
			const pointer = `/${[outer, inner].map(key => key.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
			return resolvePointer({[outer]: {[inner]: 'found'}}, pointer) === 'found';
		}),
	);
	t.pass();
});
