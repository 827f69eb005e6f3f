// Recomputes the chain, in seq order, and names the first entry that was
// altered, removed or inserted. The walk starts from an anchor: the genesis
// (seq 0, 64 zeros), or after a prune the last removed entry, as the newest
// `prune` entry records it. An export file carries its own anchor: it starts
// at entry 1, or right after the entries some checkpoint in it pruned; only a
// file verified as partial (`--partial`, an `export --since`) starts anywhere.
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
	/** Why an export line is not exactly in the export format (an extra or reordered key …): it is altered. */
	malformed?: string;
}

/** What the walk starts from: an entry, or for an export file 'whole' (its own start, see above) or 'first' (partial: its first entry as given). */
export type Anchor = {seq: number; hash: string} | 'whole' | 'first';

/** A prune checkpoint the walk verified: the entries through throughSeq were removed, the last with throughHash. */
interface Pruned {
	seq: number;
	throughSeq: number;
	throughHash: string;
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

/** Each entry the walk accepted, in order: for checks on the verified chain (a recorded head in a file). */
export type OnVerified = (entry: AuditEntry) => void;

/**
 * Walks `entries` (seq order) from `anchor`. 'first' and 'whole' take the first entry's own seq and
 * prevHash (unless it is entry 1, which follows the genesis); 'whole' then requires a checkpoint among
 * the entries to vouch for that start.
 */
export async function verifyEntries(entries: AsyncIterable<Checked> | Iterable<Checked>, anchor: Anchor = {seq: 0, hash: genesisHash}, onVerified?: OnVerified): Promise<VerifyResult> {
	const fromFile = anchor === 'first' || anchor === 'whole';
	let expectedSeq = fromFile ? undefined : anchor.seq + 1;
	let expectedPrev = fromFile ? undefined : anchor.hash;
	let floor = fromFile ? undefined : anchor.seq;
	let start: {seq: number; prevHash: string} | undefined;
	let previous: AuditEntry | undefined;
	let linkBefore: string | undefined; // what `previous` linked to
	let suspect: AuditEntry | undefined; // the previous entry did not hash to its contents
	const decisions = new Map<number, string>();
	const checkpoints: Pruned[] = [];
	let count = 0;
	const fail = (seq: number, problem: 'altered' | 'removed' | 'inserted', detail: string): VerifyResult => ({ok: false, seq, problem, detail, entries: count});

	for await (const checked of entries) {
		const {entry} = checked;
		start ??= {seq: entry.seq, prevHash: entry.prevHash};
		expectedSeq ??= entry.seq;
		expectedPrev ??= entry.seq === 1 ? genesisHash : entry.prevHash; // an export from the very start starts at the genesis
		floor ??= entry.seq - 1;
		if (suspect) {
			return entry.prevHash === linkBefore
				? fail(suspect.seq, 'inserted', `entry ${entry.seq} links to the entry before ${suspect.seq}`)
				: fail(suspect.seq, 'altered', 'its hash does not match its contents');
		}
		if (entry.seq > expectedSeq) return fail(expectedSeq, 'removed', missing(expectedSeq, entry.seq - 1));
		if (entry.seq < expectedSeq) return fail(entry.seq, 'inserted', previous ? `it repeats or precedes entry ${previous.seq}` : 'it precedes the last pruned entry');
		if (entry.prevHash !== expectedPrev) {
			if (recomputed(entry, entry.seq + 1) === entry.hash) return fail(entry.seq, 'removed', `entry ${entry.seq} is missing (the entries after it were renumbered)`);
			if (!previous) return fail(entry.seq, 'altered', 'it does not link to the start of the chain (or the last prune checkpoint)');
			if (entry.prevHash === linkBefore) return fail(previous.seq, 'inserted', `entry ${entry.seq} links to the entry before it`);
			return fail(previous.seq, 'altered', `its hash is not the one entry ${entry.seq} recorded`);
		}
		// Not in the export format: whatever its hash, it is not the entry that was exported.
		if (checked.malformed !== undefined) return fail(entry.seq, 'altered', `it is not in the export format: ${checked.malformed}`);
		if (!selfConsistent(checked)) {
			suspect = entry;
			linkBefore = expectedPrev;
			continue;
		}
		if (entry.kind === 'decision') decisions.set(entry.seq, entry.eventId);
		// decisions holds only earlier entries, so this also refuses a reply-sent naming itself or a later entry.
		if (entry.kind === 'reply-sent' && (entry.decisionSeq < 1 || (entry.decisionSeq > floor && decisions.get(entry.decisionSeq) !== entry.eventId))) {
			return fail(entry.seq, 'altered', `it names decision ${entry.decisionSeq}, which is not an earlier decision for the same event`);
		}
		if (entry.kind === 'prune') checkpoints.push({seq: entry.seq, throughSeq: entry.throughSeq, throughHash: entry.throughHash});
		onVerified?.(entry);
		linkBefore = expectedPrev;
		previous = entry;
		expectedSeq = entry.seq + 1;
		expectedPrev = entry.hash;
		count += 1;
	}
	if (suspect) return fail(suspect.seq, 'altered', 'its hash does not match its contents');
	if (anchor === 'whole' && start) {
		const unvouched = startProblem(start, checkpoints);
		if (unvouched) return {...unvouched, entries: count};
	}
	return {ok: true, entries: count, head: previous ? {seq: previous.seq, hash: previous.hash} : fromFile ? {seq: 0, hash: genesisHash} : anchor};
}

const missing = (from: number, to: number) => (from === to ? `entry ${from} is missing` : `entries ${from} to ${to} are missing`);

/**
 * A whole export starts where the chain did when it was made: at entry 1, or at the first entry a
 * checkpoint in it left (throughSeq + 1, linking to throughHash). Starting later means the oldest
 * entries were cut off, which a file that may start anywhere (--partial) could not show.
 */
function startProblem(start: {seq: number; prevHash: string}, checkpoints: readonly Pruned[]): Omit<Extract<VerifyResult, {ok: false}>, 'entries'> | undefined {
	if (start.seq === 1) return undefined; // the walk already held it to the genesis
	const vouching = checkpoints.filter(checkpoint => checkpoint.throughSeq === start.seq - 1);
	if (vouching.some(checkpoint => checkpoint.throughHash === start.prevHash)) return undefined;
	if (vouching.length > 0) return {ok: false, seq: start.seq, problem: 'altered', detail: `it does not link to entry ${start.seq - 1} as checkpoint ${vouching[0]!.seq} recorded it`};
	// The newest start a checkpoint vouches for before this one, else the genesis: what lies between is gone.
	const before = checkpoints.filter(checkpoint => checkpoint.throughSeq < start.seq - 1).at(-1);
	const from = before ? before.throughSeq + 1 : 1;
	const why = before ? `checkpoint ${before.seq} pruned through entry ${before.throughSeq}` : 'no checkpoint in the file pruned them';
	return {ok: false, seq: from, problem: 'removed', detail: `${missing(from, start.seq - 1)}: the file starts at entry ${start.seq} and ${why}; an export --since file is verified with --partial`};
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

/** What became of a head recorded earlier: unchanged, changed, pruned since, removed, or (a partial file) not in the file. */
export type RecordedHead = 'same' | 'changed' | 'pruned' | 'removed' | 'outside';

/** Head 0 is the genesis, in every chain and file: only its hash can differ. */
const genesisFate = (hash: string): RecordedHead => (hash === genesisHash ? 'same' : 'changed');

/** A recorded head against a chain with no entries at all (no audit table yet): the genesis, or gone. */
export const recordedHeadOfEmptyChain = (head: {seq: number; hash: string}): RecordedHead => (head.seq === 0 ? genesisFate(head.hash) : 'removed');

/** A chain or an export file verified: the verdict, the recorded head's fate (when one was given), a file's first entry. */
export interface Verification {
	result: VerifyResult;
	recorded?: RecordedHead;
	first?: number;
}

/**
 * Whether an entry recorded earlier (seq and hash, e.g. a head printed by an earlier verify and kept
 * elsewhere) is still in the chain unchanged. Someone able to write the database could rewrite an
 * entry and rehash everything after it, or delete the newest entries, which a chain alone cannot show;
 * a head kept outside can. Call it on a chain that verified.
 */
export async function checkRecordedHead(db: SqlExecutor, seq: number, hash: string): Promise<Exclude<RecordedHead, 'outside'>> {
	if (seq === 0) return genesisFate(hash) as 'same' | 'changed';
	const row = await db.get<{hash: string}>('SELECT hash FROM audit_entries WHERE seq = $1', [seq]);
	if (row) return row.hash === hash ? 'same' : 'changed';
	const checkpoint = await db.get<{through_hash: string}>("SELECT through_hash FROM audit_entries WHERE kind = 'prune' AND through_seq = $1 ORDER BY seq DESC LIMIT 1", [seq]);
	if (checkpoint) return checkpoint.through_hash === hash ? 'same' : 'changed';
	const newest = await db.get<{seq: number | string}>('SELECT seq FROM audit_entries ORDER BY seq DESC LIMIT 1');
	// A verified chain has no gaps: an entry missing below the newest was pruned; with none after it, it was cut off.
	return newest && Number(newest.seq) > seq ? 'pruned' : 'removed';
}

/**
 * Verifies an export file's entries (`anchor` 'whole' or 'first'), and when `head` is given, whether
 * that recorded entry is in the verified file with that hash (or in a checkpoint that pruned it).
 */
export async function verifyExport(entries: AsyncIterable<Checked>, anchor: 'whole' | 'first', head?: {seq: number; hash: string}): Promise<Verification> {
	let first: number | undefined;
	let found: string | undefined; // the head's hash as the file has it
	let prunedPast = false; // a checkpoint in the file removed entries after the head
	const result = await verifyEntries(entries, anchor, entry => {
		first ??= entry.seq;
		if (!head) return;
		if (entry.seq === head.seq) found = entry.hash;
		if (entry.kind === 'prune' && entry.throughSeq === head.seq) found ??= entry.throughHash;
		if (entry.kind === 'prune' && entry.throughSeq > head.seq) prunedPast = true;
	});
	if (!head || !result.ok) return {result, first};
	let recorded: RecordedHead;
	if (head.seq === 0) recorded = genesisFate(head.hash);
	else if (found !== undefined) recorded = found === head.hash ? 'same' : 'changed';
	else if (head.seq > result.head.seq) recorded = 'removed';
	else recorded = prunedPast ? 'pruned' : 'outside';
	return {result, recorded, first};
}
