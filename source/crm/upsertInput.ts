// What the store checks before writing: the store is the last line of
// defence, so a caller that skipped import's validation still cannot store a
// float, a negative amount or the same id twice.
import {accountIdProblem, normaliseAccountId} from './accountId.js';
import {normaliseCurrency} from './money.js';
import type {AccountInput} from './types.js';

const isMinorUnits = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Normalised copies of the inputs; throws TypeError naming the first bad one. */
export function checkedAccountInputs(accounts: readonly AccountInput[]): AccountInput[] {
	const seen = new Set<string>();
	return accounts.map(account => {
		const id = normaliseAccountId(account.id);
		const problem = accountIdProblem(id);
		if (problem) throw new TypeError(`account id ${problem}`);
		if (seen.has(id)) throw new TypeError(`account ${id} appears twice`);
		seen.add(id);
		if (!isMinorUnits(account.due)) throw new TypeError(`account ${id}: due must be a non-negative safe integer of minor units`);
		if (!isMinorUnits(account.paid)) throw new TypeError(`account ${id}: paid must be a non-negative safe integer of minor units`);
		const segment = account.segment?.trim();
		if (segment !== undefined && segment.length > 64) throw new TypeError(`account ${id}: segment must be at most 64 characters`);
		return {id, due: account.due, paid: account.paid, currency: normaliseCurrency(account.currency), ...(segment && {segment})};
	});
}
