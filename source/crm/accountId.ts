// Account ids are stored upper-case, so every lookup is case-insensitive by
// normalising the id on the way in rather than by comparing in SQL.

/** `' acct100 '` → `'ACCT100'`. */
export function normaliseAccountId(id: string): string {
	return id.trim().toUpperCase();
}

const validId = /^[A-Z0-9][A-Z0-9_.\-]{0,63}$/;

/** Why a (normalised) id cannot be stored, or undefined when it can. */
export function accountIdProblem(id: string): string | undefined {
	if (id === '') return 'empty';
	if (!validId.test(id)) return `"${id}" is not an account id (letters, digits, _ . -; at most 64)`;
	return undefined;
}
