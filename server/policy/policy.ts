// The policy port: who may see which account. Authorisation is a function,
// as in Slack Bolt; the allow list is one implementation, grants another.

/** Who is asking, as established from Webex (the message or person record), never from the envelope alone. */
export interface Requester {
	personId: string;
	/** Canonical (see requester.ts): undefined when Webex gave none or it was not a plain address. */
	email?: string;
}

/** What the policy may know of an account: its id, and its segment when a source reports one. */
export interface AccountFacts {
	id: string;
	segment?: string;
}

export interface AccessDecision {
	accountId: string;
	allowed: boolean;
	/** The rule that decided, for `access check` and logs: e.g. "GLOBOBOT_ALLOW @globomantics.com", "grant kate@… ACCT1*", "default deny". */
	rule: string;
}

export interface Policy {
	/** One decision per account, in order. */
	decide(requester: Requester, accounts: readonly AccountFacts[]): Promise<AccessDecision[]>;
	/** Whether the requester may see anything at all (a requester nobody granted anything gets the refusal, not per-id lines). */
	mayAsk(requester: Requester): Promise<boolean>;
	/** One line for the TUI and doctor, e.g. "allow list (2 entries)". */
	readonly description: string;
}
