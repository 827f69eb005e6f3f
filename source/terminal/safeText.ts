// Text from outside (Webex names, URLs, error messages, file contents) is made
// safe before it reaches a terminal: C0 and C1 controls, DEL, and the Unicode
// controls that reorder or hide text (bidi overrides, isolates, line
// separators) are shown as visible escapes instead of being obeyed. An
// ESC ] 52 sequence can write the operator's clipboard; a carriage return can
// overwrite what is already on the line.

// C0 (incl. \t \n \r), DEL, C1, ALM, LRM/RLM, LINE/PARAGRAPH SEPARATOR, bidi embeddings/overrides and isolates, BOM.
const unsafe = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;

function escape(character: string): string {
	const code = character.codePointAt(0)!;
	return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line, safe to print: every control becomes a visible escape such as `\x1b` or `\u202e`. */
export function safeText(text: string): string {
	return text.replace(unsafe, escape);
}

/** Whether the text holds anything `safeText` would escape. */
export function hasUnsafeCharacters(text: string): boolean {
	unsafe.lastIndex = 0;
	const found = unsafe.test(text);
	unsafe.lastIndex = 0;
	return found;
}
