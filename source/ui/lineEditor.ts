// One line of editable text and its cursor: what each key does to them. The
// text fields of the form and the chat draw what this returns. Pure.
import type {Keypress} from './keypress.js';
import {isPrintable} from './keypress.js';

export interface LineState {
	value: string;
	/** In characters (code points) from the start. */
	cursor: number;
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));

/** The line after one keypress, or undefined when the key is not an editing key (Enter, Tab, ↑↓, Esc…). */
export function editLine({value, cursor}: LineState, {input, key}: Keypress): LineState | undefined {
	const characters = [...value];
	const at = clamp(cursor, 0, characters.length);
	const join = (parts: string[], next: number) => ({value: parts.join(''), cursor: next});
	if (key.leftArrow) return {value, cursor: Math.max(0, at - 1)};
	if (key.rightArrow) return {value, cursor: Math.min(characters.length, at + 1)};
	if (key.home || (key.ctrl && input === 'a')) return {value, cursor: 0};
	if (key.end || (key.ctrl && input === 'e')) return {value, cursor: characters.length};
	if (key.backspace || key.delete) return at === 0 ? {value, cursor: 0} : join([...characters.slice(0, at - 1), ...characters.slice(at)], at - 1);
	if (key.ctrl && input === 'u') return join(characters.slice(at), 0);
	if (key.ctrl && input === 'k') return join(characters.slice(0, at), at);
	if (key.ctrl && input === 'w') {
		let start = at;
		while (start > 0 && characters[start - 1] === ' ') start--;
		while (start > 0 && characters[start - 1] !== ' ') start--;
		return join([...characters.slice(0, start), ...characters.slice(at)], start);
	}
	if (key.ctrl || key.meta || key.return || key.tab || !isPrintable(input)) return undefined;
	return join([...characters.slice(0, at), input, ...characters.slice(at)], at + [...input].length);
}
