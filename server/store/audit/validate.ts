// The shape of everything that goes into an entry. Ids are one printable
// ASCII token (Webex ids are base64url; an account id is the CRM's), an email
// is one address: neither can carry a sentence, so no message text fits, and
// enums are checked against their lists. A mistake here is the caller's bug,
// so it throws (rolling the caller's transaction back) rather than record it.
import {accountIdProblem, normaliseAccountId} from '../../../source/crm/accountId.js';
import {accountOutcomes, type AuditAccount, type AuditDecision, AuditError, deliveryTargets, replyKinds, roomTypes, sourceKinds} from './types.js';

const token = /^[\x21-\x7e]{1,512}$/;
// No controls, format characters (bidi overrides) or separators: nothing a terminal would obey.
const email = /^[^\s@\p{C}\p{Z}]{1,64}@[^\s@\p{C}\p{Z}]{1,255}$/u;

export function webexId(field: string, value: unknown): string {
	if (typeof value !== 'string' || !token.test(value)) throw new AuditError(`audit entry ${field} must be a Webex id (printable ASCII, no spaces)`);
	return value;
}

function oneOf<T extends string>(field: string, list: readonly T[], value: unknown): T {
	if (!list.includes(value as T)) throw new AuditError(`audit entry ${field} must be one of ${list.join(', ')}`);
	return value as T;
}

function requesterEmail(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string' || !email.test(value.trim())) throw new AuditError('audit entry requesterEmail must be one email address');
	return value.trim().toLowerCase();
}

function account(value: AuditAccount): AuditAccount {
	const id = normaliseAccountId(typeof value?.id === 'string' ? value.id : '');
	if (accountIdProblem(id)) throw new AuditError('audit entry account id must be an account id (letters, digits, _ . -; at most 64)');
	return {id, outcome: oneOf('account outcome', accountOutcomes, value.outcome)};
}

/** A fresh decision with exactly the audited fields, each checked; anything else the caller's object held is left behind. */
export function auditedDecision(decision: AuditDecision): Required<AuditDecision> & {requesterEmail: string | null; accounts: AuditAccount[]} {
	if (!Array.isArray(decision.accounts) || decision.accounts.length > 100) throw new AuditError('audit entry accounts must be a list of at most 100');
	return {
		eventId: webexId('eventId', decision.eventId),
		source: oneOf('source', sourceKinds, decision.source),
		requesterEmail: requesterEmail(decision.requesterEmail),
		requesterId: webexId('requesterId', decision.requesterId),
		roomId: webexId('roomId', decision.roomId),
		roomType: oneOf('roomType', roomTypes, decision.roomType),
		accounts: decision.accounts.map(account),
		reply: oneOf('reply', replyKinds, decision.reply),
		deliveredTo: oneOf('deliveredTo', deliveryTargets, decision.deliveredTo),
	};
}
