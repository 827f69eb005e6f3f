// JSON.parse forgets where things were. This scan finds the line of every key
// of the top-level object, in order, so an import error can point at the
// account it is about, and so duplicate keys (which JSON.parse silently
// collapses) can be caught.

export interface KeyLine {
	key: string;
	line: number;
}

/** The top-level object's keys with their 1-based lines; expects text JSON.parse accepted. */
export function topLevelKeyLines(text: string): KeyLine[] {
	const keys: KeyLine[] = [];
	let depth = 0;
	let line = 1;
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (char === '\n') line++;
		else if (char === '{' || char === '[') depth++;
		else if (char === '}' || char === ']') depth--;
		else if (char === '"') {
			const start = index;
			index = endOfString(text, index);
			if (depth === 1 && nextNonSpace(text, index + 1) === ':') keys.push({key: JSON.parse(text.slice(start, index + 1)) as string, line});
		}
	}
	return keys;
}

/** Index of the closing quote of the string opening at `start` (strings cannot span lines in JSON). */
function endOfString(text: string, start: number): number {
	for (let index = start + 1; index < text.length; index++) {
		if (text[index] === '\\') index++;
		else if (text[index] === '"') return index;
	}
	return text.length;
}

function nextNonSpace(text: string, from: number): string | undefined {
	for (let index = from; index < text.length; index++) {
		if (!/\s/.test(text[index]!)) return text[index];
	}
	return undefined;
}

/** 1-based line of a character offset, for JSON.parse's "at position N". */
export function lineAtOffset(text: string, offset: number): number {
	let line = 1;
	for (let index = 0; index < offset && index < text.length; index++) if (text[index] === '\n') line++;
	return line;
}
