// What a requester may learn from a refusal: nothing. A denied account is
// answered exactly like an unknown one, and the throttle's notice carries no
// figures. Pure helpers for the replier, so the wording lives in one place.
import type {AccessDecision} from './policy.js';

/** The line for an account the requester does not see, whether it is unknown or denied: byte-identical either way. */
export const noAccountLine = (accountId: string) => `no account ${accountId}`;

/**
 * The accounts the requester may see: the found ones whose decision allowed
 * them. Look up every asked id (allowed or not) and filter here, so a denied
 * id costs the same work, and takes the same time, as an allowed one.
 */
export function visibleAccounts<T>(decisions: readonly AccessDecision[], found: ReadonlyMap<string, T>): Map<string, T> {
	const visible = new Map<string, T>();
	for (const decision of decisions) {
		const account = found.get(decision.accountId);
		if (decision.allowed && account !== undefined) visible.set(decision.accountId, account);
	}
	return visible;
}

/** One `no account ID` line per asked id that is unknown or denied, in the order asked. */
export function refusalLines(decisions: readonly AccessDecision[], found: ReadonlyMap<string, unknown>): string[] {
	return decisions.filter(decision => !decision.allowed || !found.has(decision.accountId)).map(decision => noAccountLine(decision.accountId));
}

/** What the throttle's miss limit counts: asked ids that were unknown or denied. */
export const missCount = (decisions: readonly AccessDecision[], found: ReadonlyMap<string, unknown>) => refusalLines(decisions, found).length;

/** "HH:MM" in UTC, rounded up to the minute, so "try again after" is never early. */
function clockUtc(until: Date): string {
	const minute = 60_000;
	const rounded = new Date(Math.ceil(until.getTime() / minute) * minute);
	return `${String(rounded.getUTCHours()).padStart(2, '0')}:${String(rounded.getUTCMinutes()).padStart(2, '0')}`;
}

/** The whole reply over a limit: no figures, no limit, no count, only when to come back. */
export const throttledText = (until: Date) => `You have asked for many accounts in a short time; please try again after ${clockUtc(until)} UTC`;
