// One question through the access rules, in the order that keeps refusals
// silent: may this requester ask at all → are they over a limit → look every
// asked id up (allowed or not, so a denied id costs what an allowed one does)
// → decide per id, with each account's segment from the source → keep only
// what is allowed and found → count the question. The replier composes the
// words from the result; unknown and denied ids are both simply absent.
import {normaliseAccountId} from '../../source/crm/accountId.js';
import type {AccessDecision, Policy, Requester} from './policy.js';
import {missCount, visibleAccounts} from './refusal.js';
import type {LimitName, Throttle} from './throttle.js';

/** What the gate needs of an account source: AccountLookup fits, and so does any map of accounts with an optional segment. */
export interface GateLookup<A extends {id: string; segment?: string}> {
	getMany(ids: readonly string[]): Promise<Map<string, A>>;
}

export type GateResult<A> =
	/** Nothing granted to this requester: the general refusal, nothing looked up, nothing counted. */
	| {kind: 'refusal'}
	/** Over a limit: reply throttledText(until) and nothing else; log a warning, count globobot_throttled_total{limit}. */
	| {kind: 'throttled'; limit: LimitName; until: Date}
	/** Answer every asked id from `visible`: present → its figure, absent → noAccountLine(id). */
	| {kind: 'answer'; decisions: AccessDecision[]; visible: Map<string, A>};

export interface GateDeps<A extends {id: string; segment?: string}> {
	policy: Policy;
	lookup: GateLookup<A>;
	/** Absent: no limits (tests, the demo). */
	throttle?: Throttle;
}

/**
 * `ids` as asked, at least one (with none, the replier sends its help text instead); `visible` is keyed
 * by the normalised id. `question` (the event id) is what the throttle counts the lookups under, so a
 * question retried after an outage is counted once.
 */
export async function gateQuestion<A extends {id: string; segment?: string}>(deps: GateDeps<A>, requester: Requester, asked: readonly string[], question: string): Promise<GateResult<A>> {
	const ids = asked.map(normaliseAccountId);
	if (!(await deps.policy.mayAsk(requester))) return {kind: 'refusal'};
	if (deps.throttle) {
		const verdict = await deps.throttle.take(requester, ids.length, question);
		if (!verdict.allowed) return {kind: 'throttled', limit: verdict.limit, until: verdict.until};
	}
	const found = await deps.lookup.getMany(ids);
	const decisions = await deps.policy.decide(
		requester,
		ids.map(id => {
			const segment: unknown = found.get(id)?.segment;
			return typeof segment === 'string' ? {id, segment} : {id};
		}),
	);
	await deps.throttle?.recordMisses(requester, missCount(decisions, found));
	return {kind: 'answer', decisions, visible: visibleAccounts(decisions, found)};
}
