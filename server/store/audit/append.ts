// Appending decisions and their reply ids, inside the caller's transaction.
import {migrateStore} from '../../../source/sql/migrate.js';
import type {SqlExecutor, SqlStore} from '../../../source/sql/types.js';
import {appendChained, lockChain} from './chain.js';
import {auditMigrations} from './migrations.js';
import {entryColumns, entryOf, type EntryRow, storedReplyIds} from './rows.js';
import type {AuditDecision, DecisionEntry, Exactly, ReplySentEntry} from './types.js';
import {auditedDecision, webexId} from './validate.js';

/** Creates (or brings up to date) the audit table; safe to call from every process that opens the store. */
export async function migrateAudit(store: SqlStore): Promise<void> {
	await migrateStore(store, auditMigrations);
}

export interface AppendOptions {
	/** When the decision was made (default now). */
	at?: Date;
}

/**
 * Appends the decision's entry, inside the caller's open transaction `tx`
 * (it must be one: the chain lock and the entry end with it). A decision is
 * recorded once per event: appending one for an event that already has its
 * entry returns that entry and adds nothing.
 */
export async function appendAuditEntry<T extends AuditDecision>(tx: SqlExecutor, decision: Exactly<T, AuditDecision>, options: AppendOptions = {}): Promise<DecisionEntry> {
	const fields = auditedDecision(decision);
	await lockChain(tx);
	const existing = await tx.get<EntryRow>(`SELECT ${entryColumns} FROM audit_entries WHERE kind = 'decision' AND event_id = $1`, [fields.eventId]);
	if (existing) return entryOf(existing) as DecisionEntry;
	return appendChained<DecisionEntry>(tx, {kind: 'decision', at: (options.at ?? new Date()).toISOString(), ...fields});
}

/**
 * Records the Webex ids of the decision's reply messages once Webex accepted
 * them, as a `reply-sent` entry, inside the caller's transaction. Ids already
 * recorded for the event are skipped, so calling it again after a crash (or
 * once per message sent) never records one twice; returns undefined when
 * nothing was new, or the event has no decision entry.
 */
export async function recordAuditReplyIds(tx: SqlExecutor, eventId: string, replyIds: readonly string[], options: AppendOptions = {}): Promise<ReplySentEntry | undefined> {
	webexId('eventId', eventId);
	const ids = replyIds.map(id => webexId('replyId', id));
	await lockChain(tx);
	const decision = await tx.get<{seq: number | string}>("SELECT seq FROM audit_entries WHERE kind = 'decision' AND event_id = $1", [eventId]);
	// An event decided before the trail existed (in flight across the upgrade) has no decision to attach
	// to; failing here would fail the reply's own transaction, and an entry without a decision is worse.
	if (!decision) return undefined;
	const recorded = new Set<string>();
	for (const row of await tx.all<{reply_ids: string}>("SELECT reply_ids FROM audit_entries WHERE kind = 'reply-sent' AND decision_seq = $1", [decision.seq])) {
		// A tampered row must not fail the reply's own transaction; verify reports it.
		for (const id of storedReplyIds(row.reply_ids) ?? []) recorded.add(id);
	}
	const fresh = [...new Set(ids)].filter(id => !recorded.has(id));
	if (fresh.length === 0) return undefined;
	return appendChained<ReplySentEntry>(tx, {kind: 'reply-sent', at: (options.at ?? new Date()).toISOString(), eventId, decisionSeq: Number(decision.seq), replyIds: fresh});
}
