// A cursor over a long list of which only `height` rows are drawn: the
// selection always stays inside the visible window, and a list of thousands
// renders as cheaply as a list of ten.
import {useCallback, useState} from 'react';

export interface WindowedList {
	selected: number;
	/** Rows drawn. */
	height: number;
	/** Index of the first visible row. */
	offset: number;
	moveBy(delta: number): void;
	moveTo(index: number): void;
	pageUp(): void;
	pageDown(): void;
	home(): void;
	end(): void;
}

/** The keymap's cursor actions, said once for every screen that shows a windowed list; false when `action` is another one. */
export function moveCursor(list: WindowedList, action: string): boolean {
	switch (action) {
		case 'move-up': list.moveBy(-1); return true;
		case 'move-down': list.moveBy(1); return true;
		case 'page-up': list.pageUp(); return true;
		case 'page-down': list.pageDown(); return true;
		case 'first': list.home(); return true;
		case 'last': list.end(); return true;
		default: return false;
	}
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));

/** Scrolls the least needed so that `selected` is visible. */
export function placeWindow(selected: number, offset: number, height: number, count: number): {selected: number; offset: number} {
	const last = Math.max(0, count - 1);
	const index = clamp(selected, 0, last);
	const rows = Math.max(1, height);
	let first = clamp(offset, 0, Math.max(0, count - rows));
	if (index < first) first = index;
	if (index >= first + rows) first = index - rows + 1;
	return {selected: index, offset: first};
}

export function useWindowedList(count: number, height: number): WindowedList {
	const [cursor, setCursor] = useState({selected: 0, offset: 0});
	// Derived every render, so a shrinking list (a delete, a refresh) never leaves the cursor outside it.
	const {selected, offset} = placeWindow(cursor.selected, cursor.offset, height, count);

	const moveTo = useCallback(
		(index: number) => {
			setCursor(current => {
				const placed = placeWindow(current.selected, current.offset, height, count);
				return placeWindow(index, placed.offset, height, count);
			});
		},
		[height, count],
	);
	const moveBy = useCallback(
		(delta: number) => {
			setCursor(current => {
				const placed = placeWindow(current.selected, current.offset, height, count);
				return placeWindow(placed.selected + delta, placed.offset, height, count);
			});
		},
		[height, count],
	);
	const page = Math.max(1, height - 1);

	return {
		selected,
		height,
		offset,
		moveBy,
		moveTo,
		pageUp: useCallback(() => moveBy(-page), [moveBy, page]),
		pageDown: useCallback(() => moveBy(page), [moveBy, page]),
		home: useCallback(() => moveTo(0), [moveTo]),
		end: useCallback(() => moveTo(count - 1), [moveTo, count]),
	};
}
