// What every live CRM source shares: the AccountLookup it is, the observer
// the listener feeds its metrics from, and one lookup per id, each within the
// timeout, each reported, each failure turned into an AccountSourceError.
import {normaliseAccountId} from '../accountId.js';
import {AccountSourceError, type AccountLookup, type AccountSourceErrorCode} from '../lookup.js';
import {AmountError} from '../money.js';
import type {Account} from '../types.js';

/** How one lookup of one id ended: found, not in the CRM, or why the CRM could not answer. */
export type LookupOutcome = 'found' | 'unknown' | AccountSourceErrorCode;

/** Called once per id looked up; the listener turns it into a latency histogram and errors by kind. */
export type LookupObserver = (durationSeconds: number, outcome: LookupOutcome) => void;

export interface AccountSourceOptions {
	onLookup?: LookupObserver;
	/**
	 * For the listener, whose questions wait out an outage: a SQL CRM that cannot be reached at open is opened anyway
	 * (with a warning), and CRM_QUERY's columns are checked on the first answer; a bad query then fails lookups as
	 * 'invalid-data' instead of stopping start-up. Commands leave it off, so an unreachable CRM is reported at once.
	 */
	openWhileUnreachable?: boolean;
}

export interface AccountSource extends AccountLookup {
	/** Things the operator should be told at start-up (e.g. an unencrypted loopback CRM), one line each. */
	readonly warnings: readonly string[];
}

/** Rejects with AccountSourceError('timeout') after `ms`; the work itself is left to its driver's own timeout. */
export async function withDeadline<T>(work: Promise<T>, ms: number, description: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => reject(new AccountSourceError('timeout', `${description}: no answer within ${ms} ms`)), ms);
	});
	// A late failure of abandoned work must not surface as an unhandled rejection.
	work.catch(() => undefined);
	try {
		return await Promise.race([work, deadline]);
	} finally {
		clearTimeout(timer);
	}
}

export interface LookupEachOptions {
	description: string;
	timeoutMs: number;
	onLookup?: LookupObserver;
	/** Turns a driver's error into one of the three codes, with a message fit for a log (no password, no figure). */
	classify(error: unknown): AccountSourceError;
}

/** Looks every distinct id up at once; throws the first AccountSourceError when any lookup fails. */
export async function lookupEach(ids: readonly string[], lookupOne: (id: string) => Promise<Account | undefined>, options: LookupEachOptions): Promise<Map<string, Account>> {
	const wanted = [...new Set(ids.map(normaliseAccountId))];
	const found = new Map<string, Account>();
	await Promise.all(
		wanted.map(async id => {
			const started = process.hrtime.bigint();
			const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
			try {
				const account = await withDeadline(lookupOne(id), options.timeoutMs, options.description);
				options.onLookup?.(seconds(), account ? 'found' : 'unknown');
				if (account) found.set(id, account);
			} catch (error) {
				const failure = error instanceof AccountSourceError ? error : options.classify(error);
				options.onLookup?.(seconds(), failure.code);
				throw failure;
			}
		}),
	);
	return found;
}

/** The first line of a driver's message: enough to act on, never a stack. */
export const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim() || 'unknown error';

// Reasons from money.ts that carry no figure; any other is replaced, so no amount reaches a log.
const figureFree = /^(?:negative|too large|not a number|empty|more than \d+ decimals for [A-Z]{3}|[A-Z]{3} has no decimals)$/;

/** Why an amount was refused, in words that never repeat the amount. */
export const amountReason = (error: unknown) => (error instanceof AmountError && figureFree.test(error.message) ? error.message : 'not an exact decimal amount');
