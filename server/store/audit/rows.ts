// Rows of audit_entries ↔ entries. PostgreSQL returns BIGINT as text, SQLite
// as a number; both become numbers here (seq stays far below 2^53).
import type {AuditAccount, AuditEntry} from './types.js';

export const entryColumns =
	'seq, kind, at, event_id, source, requester_email, requester_id, room_id, room_type, accounts, reply, delivered_to, decision_seq, reply_ids, pruned_before, through_seq, through_hash, removed, prev_hash, hash';

export interface EntryRow {
	seq: number | string;
	kind: string;
	at: string;
	event_id: string | null;
	source: string | null;
	requester_email: string | null;
	requester_id: string | null;
	room_id: string | null;
	room_type: string | null;
	accounts: string | null;
	reply: string | null;
	delivered_to: string | null;
	decision_seq: number | string | null;
	reply_ids: string | null;
	pruned_before: string | null;
	through_seq: number | string | null;
	through_hash: string | null;
	removed: number | string | null;
	prev_hash: string;
	hash: string;
}

const parseList = (text: string | null): unknown => {
	try {
		return JSON.parse(text ?? 'null');
	} catch {
		return null;
	}
};

/**
 * The entry a row says it is. Shapes are not checked here (verify does that,
 * by recomputing the hash); a tampered row still maps to something that can
 * be hashed, and so be found out.
 */
export function entryOf(row: EntryRow): AuditEntry {
	const common = {seq: Number(row.seq), at: row.at, prevHash: row.prev_hash, hash: row.hash};
	switch (row.kind) {
		case 'reply-sent':
			return {...common, kind: 'reply-sent', eventId: row.event_id ?? '', decisionSeq: Number(row.decision_seq), replyIds: parseList(row.reply_ids) as string[]};
		case 'prune':
			return {
				...common,
				kind: 'prune',
				before: row.pruned_before ?? '',
				throughSeq: Number(row.through_seq),
				throughHash: row.through_hash ?? '',
				removed: Number(row.removed),
			};
		default:
			return {
				...common,
				kind: 'decision',
				eventId: row.event_id ?? '',
				source: row.source as never,
				requesterEmail: row.requester_email,
				requesterId: row.requester_id ?? '',
				roomId: row.room_id ?? '',
				roomType: row.room_type as never,
				accounts: parseList(row.accounts) as never,
				reply: row.reply as never,
				deliveredTo: row.delivered_to as never,
			};
	}
}

/**
 * The reply ids a reply-sent row holds, or undefined when the column is not a list of strings (a
 * tampered row): readers show or skip it and keep going; verify reports the entry as altered.
 */
export function storedReplyIds(text: string | null): string[] | undefined {
	const ids = parseList(text);
	return Array.isArray(ids) && ids.every(id => typeof id === 'string') ? (ids as string[]) : undefined;
}

/** A decision's accounts as stored, or undefined when the column is not a list of {id, outcome} strings (see storedReplyIds). */
export function storedAccounts(text: string | null): AuditAccount[] | undefined {
	const accounts = parseList(text);
	const readable = (account: unknown) => typeof account === 'object' && account !== null && typeof (account as AuditAccount).id === 'string' && typeof (account as AuditAccount).outcome === 'string';
	return Array.isArray(accounts) && accounts.every(readable) ? (accounts as AuditAccount[]) : undefined;
}

/** The texts stored as JSON columns, for verify to compare with their canonical form. */
export const storedLists = (row: EntryRow) => ({accounts: row.accounts, replyIds: row.reply_ids});
