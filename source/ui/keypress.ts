// Raw terminal input → one keypress at a time. Ink's useInput hands a burst
// (a paste, fast typing, a key repeat) to its handlers as one string and
// loses what it was: forty Backspaces arrive as one input with no key flag
// set. Here every key of a burst becomes its own keypress, described the way
// useInput describes that key alone, so a burst acts like the keys typed one
// after another. Pure: no I/O, no React.
import type {Key} from 'ink';

export interface Keypress {
	/** The text of a printable key, the letter of a Ctrl-key, else ''. */
	input: string;
	key: Key;
}

const none: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

const press = (input: string, flags: Partial<Key> = {}): Keypress => ({input, key: {...none, ...flags}});

type Named = 'upArrow' | 'downArrow' | 'rightArrow' | 'leftArrow' | 'home' | 'end' | 'pageUp' | 'pageDown' | 'delete';

// CSI and SS3 finals and the `~` codes of the keys the TUI knows (xterm, rxvt, the Linux console).
const finals: Record<string, Named> = {A: 'upArrow', B: 'downArrow', C: 'rightArrow', D: 'leftArrow', H: 'home', F: 'end'};
const tildes: Record<string, Named> = {'1': 'home', '7': 'home', '4': 'end', '8': 'end', '3': 'delete', '5': 'pageUp', '6': 'pageDown'};

/** xterm's modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4). */
function modifiers(parameter: string | undefined): Partial<Key> {
	const bits = Math.max(0, Number(parameter ?? '1') - 1);
	return {shift: (bits & 1) !== 0, meta: (bits & 2) !== 0, ctrl: (bits & 4) !== 0};
}

/** One escape sequence, as Ink's tokenizer cut it (it never joins two). */
function escapeSequence(sequence: string): Keypress {
	if (sequence === '\u001B' || sequence === '\u001B\u001B') return press('', {escape: true, meta: true});
	if (sequence === '\u001B[Z') return press('', {tab: true, shift: true});
	const csi = /^\u001B\[(?:1;(\d+))?([A-DHF])$/.exec(sequence) ?? /^\u001BO()([A-DHF])$/.exec(sequence);
	if (csi) return press('', {[finals[csi[2]!]!]: true, ...modifiers(csi[1] || undefined)});
	const tilde = /^\u001B\[(\d+)(?:;(\d+))?~$/.exec(sequence);
	if (tilde) {
		const name = tildes[tilde[1]!];
		return name ? press('', {[name]: true, ...modifiers(tilde[2])}) : press('');
	}
	// ESC + one character: Alt (meta) with that key.
	if ([...sequence].length === 2) {
		const alone = single([...sequence][1] ?? '');
		return {input: alone.input, key: {...alone.key, meta: true}};
	}
	return press('');
}

/** One character typed alone. */
function single(character: string): Keypress {
	const code = character.codePointAt(0) ?? 0;
	if (character === '\r') return press('\r', {return: true});
	if (character === '\t') return press('', {tab: true});
	if (character === '\b') return press('', {backspace: true});
	// Ink names DEL "delete"; it is what the Backspace key sends, and text fields treat both alike.
	if (character === '\u007F') return press('', {delete: true});
	if (character === '\n') return press('\n');
	if (code >= 1 && code <= 26) return press(String.fromCodePoint(code + 96), {ctrl: true});
	if (code < 0x20) return press('');
	return press(character, /^[A-Z]$/.test(character) ? {shift: true} : {});
}

// An escape sequence at the start of the text: CSI (ESC [ … final), SS3 (ESC O x), or ESC and one character.
const sequenceAtStart = /^\u001B(?:\[[\d;:<=>?]*[ -/]*[@-~]|O[@-~]|[^])?/u;

/** Every keypress in a chunk of input (Ink's tokenizer gives one sequence or a run of characters), in order. */
export function keypresses(chunk: string): Keypress[] {
	const presses: Keypress[] = [];
	let rest = chunk;
	while (rest !== '') {
		if (rest.startsWith('\u001B')) {
			const sequence = sequenceAtStart.exec(rest)?.[0] ?? '\u001B';
			presses.push(escapeSequence(sequence));
			rest = rest.slice(sequence.length);
			continue;
		}
		const [character = ''] = rest;
		presses.push(single(character));
		rest = rest.slice(character.length);
	}
	return presses;
}

/** A printable character a text field may insert: no C0/C1 control, no DEL. */
export const isPrintable = (input: string) => input !== '' && !/[\u0000-\u001F\u007F-\u009F]/.test(input);
