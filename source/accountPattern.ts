// GLOBOBOT_ACCOUNT_PATTERN, compiled once by the rule that runs it, so the
// configuration check and the listener cannot disagree: RE2 (re2js), which
// matches in time linear in the text, whatever the pattern, so a pattern like
// (?:[A-Z]+-?)+\d{3} cannot stall the event loop the way a backtracking
// RegExp does. RE2 has no lookbehind, so "only a whole word" is written as a
// boundary character (or the text's edge) on each side of the id.
import {RE2JS} from 're2js';

export interface AccountPattern {
	/** The operator's pattern, as configured. */
	readonly source: string;
	/** Every whole-word match, in order, found one at a time (stop early by breaking out). */
	matches(text: string): Iterable<string>;
}

/** A pattern that cannot run; the message names GLOBOBOT_ACCOUNT_PATTERN. */
export class AccountPatternError extends Error {
	override name = 'AccountPatternError';
}

const notWordCharacter = '[^\\p{L}\\p{N}_]';

/** Compiles `source` exactly as the listener runs it; throws AccountPatternError if it cannot. */
export function compileAccountPattern(source: string): AccountPattern {
	let bounded: RE2JS;
	try {
		// Alone first: `x)|(y` would otherwise be valid once wrapped, and mean something else.
		const alone = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
		if (alone.matcher('').find()) throw new AccountPatternError('GLOBOBOT_ACCOUNT_PATTERN must not match empty text');
		bounded = RE2JS.compile(`(?:^|${notWordCharacter})((?:${source}))(?:$|${notWordCharacter})`, RE2JS.CASE_INSENSITIVE);
	} catch (error) {
		if (error instanceof AccountPatternError) throw error;
		const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
		throw new AccountPatternError(`GLOBOBOT_ACCOUNT_PATTERN is not a pattern globobot can run (RE2 syntax; no lookaround or backreferences): ${reason}`);
	}
	return {
		source,
		*matches(text) {
			const matcher = bounded.matcher(text);
			let from = 0;
			// The next search starts where the id ended, so the boundary after one id can be the boundary before the next.
			while (from <= text.length && matcher.find(from)) {
				const id = matcher.group(1) ?? '';
				from = Math.max(matcher.end(1), matcher.start(1) + 1);
				if (id !== '') yield id;
			}
		},
	};
}

const compiled = new Map<string, AccountPattern>();

/** The compiled pattern for `source`, compiled once per process. */
export function accountPattern(source: string): AccountPattern {
	let pattern = compiled.get(source);
	if (!pattern) {
		pattern = compileAccountPattern(source);
		compiled.set(source, pattern);
	}
	return pattern;
}
