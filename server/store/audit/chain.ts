// Appending to the one chain. Each new entry needs the head's seq and hash,
// so appends must not interleave: on SQLite the caller's BEGIN IMMEDIATE
// already makes writers take turns (across processes too); on PostgreSQL
// replicas share the chain, so an advisory lock held until the caller's
// transaction ends makes them take turns. The primary key on seq is the
// backstop: two appends that raced anyway cannot both take one seq.
import type {SqlExecutor} from '../../../source/sql/types.js';
import {canonicalAccounts, hashOf, type Unhashed} from './canonical.js';
import {type AuditEntry, genesisHash} from './types.js';

type Fields<Entry> = Entry extends AuditEntry ? Omit<Entry, 'seq' | 'prevHash' | 'hash'> : never;

/** Serialises appenders until the caller's transaction ends (PostgreSQL; SQLite's BEGIN IMMEDIATE already has). */
export async function lockChain(tx: SqlExecutor): Promise<void> {
	if (tx.dialect === 'postgres') await tx.get("SELECT pg_advisory_xact_lock(hashtext('globobot.audit'), hashtext(current_schema()))");
}

export async function chainHead(tx: SqlExecutor): Promise<{seq: number; hash: string} | undefined> {
	const row = await tx.get<{seq: number | string; hash: string}>('SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1');
	return row ? {seq: Number(row.seq), hash: row.hash} : undefined;
}

/**
 * Links `fields` to the head and inserts it; the caller holds lockChain. `after` is the head to link to
 * when the caller read it before removing rows (a prune that removed the head itself must still continue from it).
 */
export async function appendChained<Entry extends AuditEntry>(tx: SqlExecutor, fields: Fields<Entry>, after?: {seq: number; hash: string}): Promise<Entry> {
	const head = after ?? (await chainHead(tx));
	const unhashed = {...fields, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? genesisHash} as Unhashed;
	const entry = {...unhashed, hash: hashOf(unhashed)} as AuditEntry;
	const decision = entry.kind === 'decision' ? entry : undefined;
	const reply = entry.kind === 'reply-sent' ? entry : undefined;
	const prune = entry.kind === 'prune' ? entry : undefined;
	await tx.run(
		`INSERT INTO audit_entries (seq, kind, at, event_id, source, requester_email, requester_id, room_id, room_type, accounts, reply, delivered_to,
			decision_seq, reply_ids, pruned_before, through_seq, through_hash, removed, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
		[
			entry.seq,
			entry.kind,
			entry.at,
			decision?.eventId ?? reply?.eventId ?? null,
			decision?.source ?? null,
			decision?.requesterEmail ?? null,
			decision?.requesterId ?? null,
			decision?.roomId ?? null,
			decision?.roomType ?? null,
			decision ? canonicalAccounts(decision.accounts) : null,
			decision?.reply ?? null,
			decision?.deliveredTo ?? null,
			reply?.decisionSeq ?? null,
			reply ? JSON.stringify(reply.replyIds) : null,
			prune?.before ?? null,
			prune?.throughSeq ?? null,
			prune?.throughHash ?? null,
			prune?.removed ?? null,
			entry.prevHash,
			entry.hash,
		],
	);
	return entry as Entry;
}
