// The Policy over stored grants: default deny, one decision per account id,
// each naming the grant that made it. The requester's rows are read on every
// question (one indexed query), so `access grant|revoke|import` takes effect
// in every running listener, on every replica, from its next question: there
// is no cache to go stale. GLOBOBOT_ALLOW is a layer of `all` grants held in
// memory and merged in, so that configuration keeps working unchanged.
import {normaliseAccountId} from '../../source/crm/accountId.js';
import {ConfigError} from '../../source/configError.js';
import type {SqlStore} from '../../source/sql/types.js';
import {openGrantStore, type GrantStore} from '../store/grants.js';
import {bySpecificity, GrantSyntaxError, parseSubject, scopeCovers, subjectCovers, subjectsFor, type Grant} from './grant.js';
import type {AccessDecision, AccountFacts, Policy, Requester} from './policy.js';

export interface GrantsPolicyOptions {
	/** GLOBOBOT_ALLOW's entries: each becomes a grant of `all`. */
	allow?: readonly string[];
}

/** Where a grant came from: the database, or GLOBOBOT_ALLOW. */
export interface SourcedGrant extends Grant {
	source: 'stored' | 'GLOBOBOT_ALLOW';
}

/** "grant kate@globomantics.com ACCT100" or "GLOBOBOT_ALLOW @globomantics.com": what `access check` prints and logs show. */
export const ruleOf = (grant: SourcedGrant) => (grant.source === 'GLOBOBOT_ALLOW' ? `GLOBOBOT_ALLOW ${grant.subject}` : `grant ${grant.subject} ${grant.scope}`);

export const defaultDeny = 'default deny';

/** GLOBOBOT_ALLOW's entries as grants of `all`; an entry that is not a canonical subject stops the start (fail closed, loudly). */
export function allowGrants(allow: readonly string[]): SourcedGrant[] {
	return allow.map(entry => {
		try {
			return {subject: parseSubject(entry), scope: 'all', source: 'GLOBOBOT_ALLOW'};
		} catch (error) {
			if (error instanceof GrantSyntaxError) throw new ConfigError(`GLOBOBOT_ALLOW: ${error.message}`);
			throw error;
		}
	});
}

/** Pure: the decisions for one requester from the grants that may cover them. Exported for tests and `access check`. */
export function decideWith(grants: readonly SourcedGrant[], requester: Requester, accounts: readonly AccountFacts[]): AccessDecision[] {
	const own = grants.filter(grant => subjectCovers(grant.subject, requester.email)).sort(bySpecificity);
	return accounts.map(account => {
		const facts = {...account, id: normaliseAccountId(account.id)};
		const grant = own.find(candidate => scopeCovers(candidate.scope, facts));
		return grant ? {accountId: facts.id, allowed: true, rule: ruleOf(grant)} : {accountId: facts.id, allowed: false, rule: defaultDeny};
	});
}

export interface GrantsPolicy extends Policy {
	/** The grants stored now, for `access list` and the TUI. */
	readonly store: GrantStore;
	/** GLOBOBOT_ALLOW as grants. */
	readonly allowGrants: readonly SourcedGrant[];
}

/** Opens (migrating) the grant table on `store` and returns the policy over it. */
export async function grantsPolicy(store: SqlStore, options: GrantsPolicyOptions = {}): Promise<GrantsPolicy> {
	const grants = await openGrantStore(store);
	const layer = allowGrants(options.allow ?? []);
	const grantsOf = async (requester: Requester): Promise<SourcedGrant[]> => {
		// No canonical address: no subject covers it, not even *, and nothing is read.
		if (requester.email === undefined) return [];
		const stored = await grants.forSubjects(subjectsFor(requester.email));
		return [...stored.map(grant => ({...grant, source: 'stored' as const})), ...layer];
	};
	return {
		store: grants,
		allowGrants: layer,
		description: layer.length > 0 ? `stored grants + GLOBOBOT_ALLOW (${layer.length} entr${layer.length === 1 ? 'y' : 'ies'})` : 'stored grants',
		async decide(requester, accounts) {
			return decideWith(await grantsOf(requester), requester, accounts);
		},
		async mayAsk(requester) {
			return (await grantsOf(requester)).some(grant => subjectCovers(grant.subject, requester.email));
		},
	};
}
