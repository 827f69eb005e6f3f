// The account-lookup port: where balances come from. The embedded store and
// every live CRM source (sources/) implement it; the listener sees only this.
import type {Account} from './types.js';

export interface AccountLookup {
	/** One call for many ids; keyed by the normalised id; unknown ids are absent. Throws AccountSourceError when the source cannot answer. */
	getMany(ids: readonly string[]): Promise<Map<string, Account>>;
	/** For a person, never with a password: "sqlite /path/crm.db", "mysql crm.example:3306/crm (query)". */
	readonly description: string;
	/** Throws when the source is unreachable. */
	ping(): Promise<void>;
	close(): Promise<void>;
}

/** Why a lookup could not be answered. `unavailable` is worth waiting for; `invalid-data` is the CRM's fault and is not retried blindly. */
export type AccountSourceErrorCode = 'unavailable' | 'timeout' | 'invalid-data';

export class AccountSourceError extends Error {
	override name = 'AccountSourceError';
	constructor(
		readonly code: AccountSourceErrorCode,
		message: string,
		options?: {cause?: unknown},
	) {
		super(message, options);
	}
}
