// One line of `audit export`: the entry's canonical object (canonical.ts),
// key order and all, with `hash` added last. Whoever verifies drops `hash`,
// serialises the rest in the order it came, and hashes that (README, "Audit
// trail"); `audit verify --file` does exactly that.
import {canonicalObject} from './canonical.js';
import {type AuditEntry, AuditError} from './types.js';

export const exportLine = (entry: AuditEntry): string => JSON.stringify({...canonicalObject(entry), hash: entry.hash});

/** An export line back to the entry it records; shapes are left to verify (a wrong field fails its hash). */
export function parseExportLine(text: string, line: number): AuditEntry {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new AuditError(`line ${line} is not JSON`);
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AuditError(`line ${line} is not an audit entry`);
	const {v, ...entry} = parsed as Record<string, unknown>;
	if (v !== 1) throw new AuditError(`line ${line} is not a version 1 audit entry`);
	if (typeof entry['seq'] !== 'number' || typeof entry['hash'] !== 'string' || typeof entry['prevHash'] !== 'string') throw new AuditError(`line ${line} has no seq, prevHash and hash`);
	return entry as unknown as AuditEntry;
}
