// Recomputes the chain, in seq order, and names the first entry that was
// altered, removed or inserted. The walk starts from an anchor: the genesis
// (seq 0, 64 zeros), or after a prune the last removed entry, as the newest
// `prune` entry records it.
//
//   removed:  a seq is missing (or the entries after it were renumbered down);
//   inserted: an entry whose successor links to the entry before it;
//   altered:  an entry whose hash is not that of its contents, or whose hash
//             is not the one its successor recorded (it was rehashed).
//
// A hash chain cannot tell that its newest entries were cut off (nothing
// follows them): compare the head printed by verify with one kept elsewhere.
import type {SqlExecutor} from '../../../source/sql/types.js';
import {canonicalAccounts, canonicalForm, sha256} from './canonical.js';
import {entryColumns, entryOf, type EntryRow, storedLists} from './rows.js';
import {type AuditEntry, genesisHash} from './types.js';

export type VerifyResult =
	| {ok: true; entries: number; head: {seq: number; hash: string}}
	| {ok: false; seq: number; problem: 'altered' | 'removed' | 'inserted'; detail: string; entries: number};

export interface Checked {
	entry: AuditEntry;
	/** The JSON list columns as stored, when read from the database: they must be in canonical form too. */
	stored?: {accounts: string | null; replyIds: string | null};
}

function recomputed(entry: AuditEntry, seq = entry.seq): string | undefined {
	try {
		return sha256(canonicalForm({...entry, seq}));
	} catch {
		return undefined;
	}
}

function selfConsistent({entry, stored}: Checked): boolean {
	if (recomputed(entry) !== entry.hash) return false;
	if (!stored) return true;
	if (entry.kind === 'decision') return stored.accounts === canonicalAccounts(entry.accounts);
	if (entry.kind === 'reply-sent') return stored.replyIds === JSON.stringify(entry.replyIds);
	return true;
}

/**
 * Walks `entries` (seq order). `anchor` is what the first one must follow; 'first' trusts the first
 * entry's own seq and prevHash (an export that starts mid-chain), unless it is entry 1.
 */
export async function verifyEntries(entries: AsyncIterable<Checked> | Iterable<Checked>, anchor: {seq: number; hash: string} | 'first' = {seq: 0, hash: genesisHash}): Promise<VerifyResult> {
	let expectedSeq = anchor === 'first' ? undefined : anchor.seq + 1;
	let expectedPrev = anchor === 'first' ? undefined : anchor.hash;
	let floor = anchor === 'first' ? undefined : anchor.seq;
	let previous: AuditEntry | undefined;
	let linkBefore: string | undefined; // what `previous` linked to
	let suspect: AuditEntry | undefined; // the previous entry did not hash to its contents
	const decisions = new Map<number, string>();
	let count = 0;
	const fail = (seq: number, problem: 'altered' | 'removed' | 'inserted', detail: string): VerifyResult => ({ok: false, seq, problem, detail, entries: count});

	for await (const checked of entries) {
		const {entry} = checked;
		expectedSeq ??= entry.seq;
		expectedPrev ??= entry.seq === 1 ? genesisHash : entry.prevHash; // an export from the very start starts at the genesis
		floor ??= entry.seq - 1;
		if (suspect) {
			return entry.prevHash === linkBefore
				? fail(suspect.seq, 'inserted', `entry ${entry.seq} links to the entry before ${suspect.seq}`)
				: fail(suspect.seq, 'altered', 'its hash does not match its contents');
		}
		if (entry.seq > expectedSeq) return fail(expectedSeq, 'removed', entry.seq - 1 === expectedSeq ? `entry ${expectedSeq} is missing` : `entries ${expectedSeq} to ${entry.seq - 1} are missing`);
		if (entry.seq < expectedSeq) return fail(entry.seq, 'inserted', previous ? `it repeats or precedes entry ${previous.seq}` : 'it precedes the last pruned entry');
		if (entry.prevHash !== expectedPrev) {
			if (recomputed(entry, entry.seq + 1) === entry.hash) return fail(entry.seq, 'removed', `entry ${entry.seq} is missing (the entries after it were renumbered)`);
			if (!previous) return fail(entry.seq, 'altered', 'it does not link to the start of the chain (or the last prune checkpoint)');
			if (entry.prevHash === linkBefore) return fail(previous.seq, 'inserted', `entry ${entry.seq} links to the entry before it`);
			return fail(previous.seq, 'altered', `its hash is not the one entry ${entry.seq} recorded`);
		}
		if (!selfConsistent(checked)) {
			suspect = entry;
			linkBefore = expectedPrev;
			continue;
		}
		if (entry.kind === 'decision') decisions.set(entry.seq, entry.eventId);
		if (entry.kind === 'reply-sent' && entry.decisionSeq > floor && decisions.get(entry.decisionSeq) !== entry.eventId) {
			return fail(entry.seq, 'altered', `it names decision ${entry.decisionSeq}, which is not a decision for the same event`);
		}
		linkBefore = expectedPrev;
		previous = entry;
		expectedSeq = entry.seq + 1;
		expectedPrev = entry.hash;
		count += 1;
	}
	if (suspect) return fail(suspect.seq, 'altered', 'its hash does not match its contents');
	return {ok: true, entries: count, head: previous ? {seq: previous.seq, hash: previous.hash} : anchor === 'first' ? {seq: 0, hash: genesisHash} : anchor};
}

/** Every entry in seq order, a page at a time (the chain can be long), with its stored list columns. */
export async function* storedEntries(db: SqlExecutor, range: {from?: number; to?: number} = {}): AsyncGenerator<Checked> {
	let after = (range.from ?? 1) - 1;
	const to = range.to ?? Number.MAX_SAFE_INTEGER;
	for (;;) {
		const rows = await db.all<EntryRow>(`SELECT ${entryColumns} FROM audit_entries WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT 1000`, [after, to]);
		for (const row of rows) yield {entry: entryOf(row), stored: storedLists(row)};
		if (rows.length < 1000) return;
		after = Number(rows.at(-1)!.seq);
	}
}

/** Verifies the chain in the database, from the genesis or the newest prune checkpoint. */
export async function verifyAudit(db: SqlExecutor): Promise<VerifyResult> {
	const row = await db.get<EntryRow>(`SELECT ${entryColumns} FROM audit_entries WHERE kind = 'prune' ORDER BY seq DESC LIMIT 1`);
	const checkpoint = row ? entryOf(row) : undefined;
	if (checkpoint?.kind !== 'prune') return verifyEntries(storedEntries(db));
	// The anchor comes from the checkpoint: one altered would misdirect the whole walk, so it is checked first.
	if (!selfConsistent({entry: checkpoint})) return {ok: false, seq: checkpoint.seq, problem: 'altered', detail: 'its hash does not match its contents', entries: 0};
	const anchor = {seq: checkpoint.throughSeq, hash: checkpoint.throughHash};
	return verifyEntries(storedEntries(db), anchor);
}

/**
 * Whether an entry recorded earlier (seq and hash, e.g. a head printed by an earlier verify and kept
 * elsewhere) is still in the chain unchanged. Someone able to write the database could rewrite an
 * entry and rehash everything after it, which a chain alone cannot show; a head kept outside can.
 */
export async function checkRecordedHead(db: SqlExecutor, seq: number, hash: string): Promise<'same' | 'changed' | 'pruned'> {
	const row = await db.get<{hash: string}>('SELECT hash FROM audit_entries WHERE seq = $1', [seq]);
	if (row) return row.hash === hash ? 'same' : 'changed';
	const checkpoint = await db.get<{through_hash: string}>("SELECT through_hash FROM audit_entries WHERE kind = 'prune' AND through_seq = $1 ORDER BY seq DESC LIMIT 1", [seq]);
	if (checkpoint) return checkpoint.through_hash === hash ? 'same' : 'changed';
	const newest = await db.get<{seq: number | string}>('SELECT seq FROM audit_entries ORDER BY seq DESC LIMIT 1');
	return newest && Number(newest.seq) > seq ? 'pruned' : 'changed';
}
