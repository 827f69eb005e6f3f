// One line of `audit export`: the entry's canonical object (canonical.ts),
// key order and all, with `hash` added last. Whoever verifies drops `hash`,
// serialises the rest in the order it came, and hashes that (README, "Audit
// trail"); `audit verify --file` does exactly that, so it must also refuse
// what that recipe would hash differently: a key the format does not have, one
// out of order, a number written as 1.0 or 1e0 (JSON.parse reads both as 1,
// Python keeps them), a lone surrogate. Such a line is an altered entry.
import {canonicalObject, type Unhashed} from './canonical.js';
import {type AuditEntry, AuditError} from './types.js';
import type {Checked} from './verify.js';

export const exportLine = (entry: AuditEntry): string => JSON.stringify({...canonicalObject(entry), hash: entry.hash});

const kinds = ['decision', 'reply-sent', 'prune'];
const wholeNumbers = new Set(['v', 'seq', 'decisionSeq', 'throughSeq', 'removed']);
// A lone surrogate: JSON.stringify escapes it, Python cannot encode it, so the two would not agree on a hash.
const loneSurrogate = /[\uD800-\uDFFF]/u;
const isText = (value: unknown): boolean => typeof value === 'string' && !loneSurrogate.test(value);
const isAccount = (value: unknown): boolean =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && JSON.stringify(Object.keys(value)) === '["id","outcome"]' && Object.values(value).every(isText);

function valueProblem(key: string, value: unknown): string | undefined {
	if (wholeNumbers.has(key)) return Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : `"${key}" must be a whole number`;
	if (key === 'accounts') return Array.isArray(value) && value.every(isAccount) ? undefined : '"accounts" must be a list of {"id","outcome"}';
	if (key === 'replyIds') return Array.isArray(value) && value.every(isText) ? undefined : '"replyIds" must be a list of ids';
	if (key === 'requesterEmail' && value === null) return undefined;
	return isText(value) ? undefined : `"${key}" must be a string`;
}

/** Why the line is not exactly an entry in the export format, or undefined when it is. */
function formatProblem(parsed: Record<string, unknown>, text: string): string | undefined {
	if (!kinds.includes(parsed['kind'] as string)) return `"kind" must be one of ${kinds.join(', ')}`;
	// Numbers are only whole ones: outside strings (and true, false, null) no '.', 'e' or 'E' may appear.
	if (/[.eE]/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/true|false|null/g, ''))) return 'a number is not written as a whole number';
	for (const [key, value] of Object.entries(parsed)) {
		const problem = valueProblem(key, value);
		if (problem) return problem;
	}
	const {hash: _hash, ...fields} = parsed;
	const expected = [...Object.keys(canonicalObject(fields as unknown as Unhashed)), 'hash'];
	const extra = Object.keys(parsed).find(key => !expected.includes(key));
	if (extra !== undefined) return `key "${extra}" is not part of a ${String(parsed['kind'])} entry`;
	const missing = expected.find(key => !(key in parsed));
	if (missing !== undefined) return `key "${missing}" is missing`;
	if (JSON.stringify(Object.keys(parsed)) !== JSON.stringify(expected)) return 'its keys are not in the canonical order';
	return undefined;
}

/** An export line back to the entry it records, with why it is not in the export format (verify names it altered). */
export function parseExportLine(text: string, line: number): Checked {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new AuditError(`line ${line} is not JSON`);
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AuditError(`line ${line} is not an audit entry`);
	const {v, ...entry} = parsed as Record<string, unknown>;
	if (v !== 1) throw new AuditError(`line ${line} is not a version 1 audit entry`);
	if (!Number.isSafeInteger(entry['seq']) || typeof entry['hash'] !== 'string' || typeof entry['prevHash'] !== 'string') throw new AuditError(`line ${line} has no seq, prevHash and hash`);
	const malformed = formatProblem(parsed as Record<string, unknown>, text);
	return {entry: entry as unknown as AuditEntry, ...(malformed !== undefined && {malformed})};
}
