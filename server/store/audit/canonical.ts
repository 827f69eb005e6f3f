// The canonical form of an entry, and its hash. Both are part of the
// contract with anyone who verifies an export, so they are spelled out in the
// README ("Audit trail"), and never change for a released version `v`:
//
//   canonical = JSON text of an object with exactly these keys, in this order,
//               no whitespace, strings escaped as ECMAScript JSON.stringify does
//               (" \ and U+0000–U+001F only; everything else as UTF-8)
//     decision:   v seq kind at eventId source requesterEmail requesterId roomId
//                 roomType accounts[{id outcome}] reply deliveredTo prevHash
//     reply-sent: v seq kind at eventId decisionSeq replyIds[] prevHash
//     prune:      v seq kind at before throughSeq throughHash removed prevHash
//   hash      = lower-case hex SHA-256 of the canonical text's UTF-8 bytes
//
// prevHash is inside the canonical text, so each hash covers the whole chain
// before it; the first entry's prevHash is 64 zeros.
import {createHash} from 'node:crypto';
import type {AuditAccount, AuditEntry} from './types.js';

export const canonicalVersion = 1;

export type Unhashed<Entry = AuditEntry> = Entry extends AuditEntry ? Omit<Entry, 'hash'> : never;

/** The accounts array as it is hashed and stored: [{"id":…,"outcome":…}], in order. */
export const canonicalAccounts = (accounts: readonly AuditAccount[]): string => JSON.stringify(accounts.map(account => ({id: account.id, outcome: account.outcome})));

/** The entry's canonical fields, as an object whose key order is the canonical order (export lines are this plus `hash`). */
export function canonicalObject(entry: Unhashed<AuditEntry>): Record<string, unknown> {
	const v = canonicalVersion;
	switch (entry.kind) {
		case 'decision': {
			const {seq, kind, at, eventId, source, requesterEmail, requesterId, roomId, roomType, reply, deliveredTo, prevHash} = entry;
			const accounts = entry.accounts.map(account => ({id: account.id, outcome: account.outcome}));
			return {v, seq, kind, at, eventId, source, requesterEmail, requesterId, roomId, roomType, accounts, reply, deliveredTo, prevHash};
		}
		case 'reply-sent': {
			const {seq, kind, at, eventId, decisionSeq, replyIds, prevHash} = entry;
			return {v, seq, kind, at, eventId, decisionSeq, replyIds: [...replyIds], prevHash};
		}
		case 'prune': {
			const {seq, kind, at, before, throughSeq, throughHash, removed, prevHash} = entry;
			return {v, seq, kind, at, before, throughSeq, throughHash, removed, prevHash};
		}
	}
}

export const canonicalForm = (entry: Unhashed<AuditEntry>): string => JSON.stringify(canonicalObject(entry));

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const hashOf = (entry: Unhashed<AuditEntry>): string => sha256(canonicalForm(entry));
