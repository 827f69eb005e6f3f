// The first Policy: GLOBOBOT_ALLOW lists emails, @domains, or '*'. Whoever is
// on it may see every account; an empty list allows nobody, since a
// misconfigured bot must not hand out balances.
import type {AccessDecision, Policy} from './policy.js';

/** The entry that lets `email` in, by exact address (any case) or by its domain; undefined when none does. */
export function matchingEntry(email: string | undefined, allowList: readonly string[]): string | undefined {
	const address = email?.trim().toLowerCase();
	if (!address) return undefined;
	const at = address.lastIndexOf('@');
	if (at <= 0 || at === address.length - 1) return undefined;
	const domain = address.slice(at);
	return allowList.find(entry => {
		const rule = entry.trim().toLowerCase();
		if (rule === '*') return true;
		if (rule.startsWith('@')) return rule === domain;
		return rule === address;
	});
}

/** True when `email` is on the list. */
export function isAllowed(email: string | undefined, allowList: readonly string[]): boolean {
	return matchingEntry(email, allowList) !== undefined;
}

export function allowListPolicy(allowList: readonly string[]): Policy {
	const rule = (email: string | undefined) => {
		const entry = matchingEntry(email, allowList);
		return entry === undefined ? 'default deny' : `GLOBOBOT_ALLOW ${entry.trim().toLowerCase()}`;
	};
	return {
		description: allowList.length === 0 ? 'allow list (empty: nobody)' : `allow list (${allowList.length} ${allowList.length === 1 ? 'entry' : 'entries'})`,
		async mayAsk(requester) {
			return isAllowed(requester.email, allowList);
		},
		async decide(requester, accounts): Promise<AccessDecision[]> {
			const allowed = isAllowed(requester.email, allowList);
			const why = rule(requester.email);
			return accounts.map(account => ({accountId: account.id, allowed, rule: why}));
		},
	};
}
