// Who may ask. GLOBOBOT_ALLOW lists emails, @domains, or '*'. An empty list
// allows nobody: a misconfigured bot must not hand out balances.

/** True when `email` is on the list, by exact address (any case) or by its domain. */
export function isAllowed(email: string | undefined, allowList: readonly string[]): boolean {
	const address = email?.trim().toLowerCase();
	if (!address) return false;
	const at = address.lastIndexOf('@');
	if (at <= 0 || at === address.length - 1) return false;
	const domain = address.slice(at);
	return allowList.some(entry => {
		const rule = entry.trim().toLowerCase();
		if (rule === '*') return true;
		if (rule.startsWith('@')) return rule === domain;
		return rule === address;
	});
}
