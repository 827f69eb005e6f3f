// The audit trail on the replier's hooks. The replier hands over a Decision
// (server/decision.ts) inside the transaction that saves the plan; this is
// the onDecided to pass it. auditOnReplied records a Webex reply id in the
// transaction that records the reply in the inbox.
import type {Decision, OnDecided} from '../../decision.js';
import type {SqlExecutor} from '../../../source/sql/types.js';
import {appendAuditEntry, recordAuditReplyIds} from './append.js';
import type {AuditDecision} from './types.js';

/** Exactly the audited fields of a decision: the requester's email and person id, nothing else of it. */
export const auditDecisionOf = (decision: Decision): AuditDecision => ({
	eventId: decision.eventId,
	source: decision.source,
	requesterEmail: decision.requester.email ?? null,
	requesterId: decision.requester.personId,
	roomId: decision.roomId,
	roomType: decision.roomType,
	accounts: decision.accounts.map(account => ({id: account.id, outcome: account.outcome})),
	reply: decision.reply,
	deliveredTo: decision.deliveredTo,
});

export const auditOnDecided: OnDecided = async (decision, tx) => {
	await appendAuditEntry(tx, auditDecisionOf(decision), {at: new Date(decision.decidedAt)});
};

export async function auditOnReplied(eventId: string, replyId: string, tx: SqlExecutor): Promise<void> {
	await recordAuditReplyIds(tx, eventId, [replyId]);
}
