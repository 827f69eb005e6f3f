import test from 'ava';
import {placeWindow} from '../../source/ui/hooks/useWindowedList.js';

test('the window scrolls only as far as needed to keep the selection visible', t => {
	t.deepEqual(placeWindow(0, 0, 10, 1000), {selected: 0, offset: 0});
	t.deepEqual(placeWindow(9, 0, 10, 1000), {selected: 9, offset: 0});
	t.deepEqual(placeWindow(10, 0, 10, 1000), {selected: 10, offset: 1});
	t.deepEqual(placeWindow(500, 0, 10, 1000), {selected: 500, offset: 491});
	t.deepEqual(placeWindow(495, 491, 10, 1000), {selected: 495, offset: 491}, 'moving inside the window does not scroll');
	t.deepEqual(placeWindow(490, 491, 10, 1000), {selected: 490, offset: 490});
});

test('the selection is clamped to the list, also when the list shrinks', t => {
	t.deepEqual(placeWindow(-5, 0, 10, 1000), {selected: 0, offset: 0});
	t.deepEqual(placeWindow(5000, 0, 10, 1000), {selected: 999, offset: 990});
	t.deepEqual(placeWindow(999, 990, 10, 3), {selected: 2, offset: 0});
	t.deepEqual(placeWindow(0, 0, 10, 0), {selected: 0, offset: 0});
});
