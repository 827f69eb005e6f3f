// Throttling, per requester and shared by every replica through the
// database: a stolen account or a curious insider cannot walk the account
// space. Two limits, each a sliding window:
//   lookups (GLOBOBOT_LIMIT_LOOKUPS, 30/10m): account ids asked for;
//   misses  (GLOBOBOT_LIMIT_MISSES, 10/1h):   ids that were unknown or denied,
//                                             the signature of enumeration.
// The replier takes a question's lookups before looking anything up, and
// records its misses with the decision. A take reads the counts and adds to
// them in one transaction that holds the requester's counts alone, so 40
// questions sent at once by one person (from one replica or several) get
// exactly the 30 lookups the limit allows, not 40 checks that all saw 0.
// Misses are known only after the lookup, so such a burst may overshoot the
// misses limit, but never by more than the lookups it was given.
import type {RateLimit} from '../../source/config.js';
import type {SqlExecutor, SqlStore} from '../../source/sql/types.js';
import {openThrottleStore, type ThrottleStore} from '../store/throttle.js';
import type {Requester} from './policy.js';
import {canonicalEmail} from './requester.js';

export type {RateLimit};

export type LimitName = 'lookups' | 'misses';

export type ThrottleVerdict = {allowed: true} | {allowed: false; limit: LimitName; until: Date};

export interface Throttle {
	/**
	 * Before any lookup: takes `wanted` lookups from the requester's window for `question` (its event
	 * id), or refuses and says until when. One requester's takes run one at a time on every replica.
	 * A question that took its lookups already (an event retried after the CRM did not answer) takes
	 * nothing more, and passes.
	 */
	take(requester: Requester, wanted: number, question: string): Promise<ThrottleVerdict>;
	/** After the decision: how many of the ids were unknown or denied; inside `via` (the transaction that saves the decision) when given. */
	recordMisses(requester: Requester, misses: number, via?: SqlExecutor): Promise<void>;
	/** Clears a requester's counts (`access unblock`); false when there were none. Throws on an address that is not canonical. */
	unblock(email: string): Promise<boolean>;
}

export interface ThrottleOptions {
	lookups: RateLimit;
	misses: RateLimit;
	/** Epoch milliseconds; tests pass a fake clock. */
	now?: () => number;
	/** Called for each refused take: the listener logs a warning and counts globobot_throttled_total{limit}. */
	onThrottled?: (event: {limit: LimitName; until: Date}) => void;
}

/** Whose counts: the canonical address, else the Webex person id ("person:…" cannot be an address: ":" is not allowed in one). */
export const throttleKey = (requester: Requester) => requester.email ?? `person:${requester.personId}`;

/** When `need` more fit under `limit`, given the window's rows oldest first; undefined when they fit now. */
function roomAt(rows: ReadonlyArray<{at: number; n: number}>, limit: RateLimit, need: number): Date | undefined {
	let used = rows.reduce((total, row) => total + row.n, 0);
	if (used + need <= limit.max) return undefined;
	for (const row of rows) {
		used -= row.n;
		if (used + need <= limit.max) return new Date(row.at + limit.windowMs);
	}
	// Only when need > max, which take() never asks.
	return new Date((rows.at(-1)?.at ?? 0) + limit.windowMs);
}

export async function sqlThrottle(store: SqlStore, options: ThrottleOptions): Promise<Throttle> {
	const counts: ThrottleStore = await openThrottleStore(store);
	const now = options.now ?? Date.now;
	const limits: Record<LimitName, RateLimit> = {lookups: options.lookups, misses: options.misses};
	const longest = Math.max(options.lookups.windowMs, options.misses.windowMs);

	/** When `need` more of limit `name` fit, from the requester's recent rows (all limits, oldest first). */
	const waitFor = (recent: ReadonlyArray<{kind: string; at: number; n: number}>, name: LimitName, need: number, at: number) =>
		roomAt(recent.filter(row => row.kind === name && row.at > at - limits[name].windowMs), limits[name], need);

	return {
		take(requester, wanted, question) {
			const key = throttleKey(requester);
			return counts.serialised(key, async tx => {
				const at = now();
				const recent = await counts.recent(key, at - longest, tx);
				// Taken before, by an attempt that then waited for the CRM: it passed, and pays once.
				if (recent.some(row => row.kind === 'lookups' && row.question === question)) return {allowed: true};
				// A question larger than the whole limit still passes through an empty window, rather than never.
				const need = Math.min(Math.max(wanted, 1), options.lookups.max);
				const lookups = waitFor(recent, 'lookups', need, at);
				const misses = waitFor(recent, 'misses', 1, at);
				// Over both: name the one that lasts longer, since that is when the requester may come back.
				const over: Array<{limit: LimitName; until: Date}> = [];
				if (lookups) over.push({limit: 'lookups', until: lookups});
				if (misses) over.push({limit: 'misses', until: misses});
				const worst = over.sort((a, b) => b.until.getTime() - a.until.getTime())[0];
				if (!worst) {
					await counts.add(key, [{kind: 'lookups', n: wanted}], at, at - longest, tx, question);
					return {allowed: true};
				}
				options.onThrottled?.(worst);
				return {allowed: false, ...worst};
			});
		},
		async recordMisses(requester, misses, via) {
			const at = now();
			await counts.add(throttleKey(requester), [{kind: 'misses', n: misses}], at, at - longest, via);
		},
		async unblock(email) {
			const canonical = canonicalEmail(email);
			if (canonical === undefined) throw new TypeError(`"${email}" is not a plain email address`);
			return (await counts.clear(canonical)) > 0;
		},
	};
}
