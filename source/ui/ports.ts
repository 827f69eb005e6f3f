// What the Access and Audit screens may ask of the database, as the tui
// command builds it (source/commands/tuiPorts.ts) from the open database. The
// views never see SQL, the policy or the audit tables: only these shapes, and
// only through their hooks (useAccess, useAudit).

/** A subject, scope or address as typed, checked by the same parser as `access grant` and `access check`. */
export type Parsed<T> = {ok: true; value: T} | {ok: false; error: string};

export interface AccessGrant {
	/** Canonical: kate@globomantics.com, @globomantics.com or *. */
	subject: string;
	/** Canonical: all, ACCT100, ACCT1* or segment:NAME. */
	scope: string;
	/** GLOBOBOT_ALLOW entries are held in memory and cannot be revoked here. */
	source: 'stored' | 'GLOBOBOT_ALLOW';
}

/** One account's decision, as `access check` prints it. */
export interface AccessCheckRow {
	accountId: string;
	allowed: boolean;
	/** The grant that decided, e.g. "grant kate@globomantics.com ACCT1*", or "default deny". */
	rule: string;
	/** The account's segment when the account store knows it. */
	segment?: string;
}

export interface AccessPort {
	/** Stored grants (by subject, then scope), then GLOBOBOT_ALLOW's. */
	list(): Promise<AccessGrant[]>;
	/** Adds the grant; false when the subject already had it. Subject and scope canonical (from parse*). */
	grant(subject: string, scope: string): Promise<boolean>;
	/** Removes a stored grant; false when it was not there (any more). */
	revoke(subject: string, scope: string): Promise<boolean>;
	/** What `email` may see of each account, in order. */
	check(email: string, accountIds: readonly string[]): Promise<AccessCheckRow[]>;
	parseSubject(raw: string): Parsed<string>;
	parseScope(raw: string): Parsed<string>;
	/** A requester's address, canonical. */
	parseEmail(raw: string): Parsed<string>;
	/** Account ids separated by spaces or commas, normalised. */
	parseAccounts(raw: string): Parsed<string[]>;
}

/** One decision of the audit trail as the Audit screen shows it: ids, enums and times; there is no field for a figure. */
export interface AuditRow {
	seq: number;
	/** ISO time. */
	at: string;
	/** Canonical email, or null when Webex gave none. */
	requesterEmail: string | null;
	requesterId: string;
	/** In the order asked: shown, unknown, denied, throttled or crm-unavailable. */
	accounts: Array<{id: string; outcome: string}>;
	/** balances, help, refusal, throttled or unavailable. */
	reply: string;
	/** direct, dm, thread or room. */
	deliveredTo: string;
	/** webhook, catch-up or websocket. */
	source: string;
	/** Webex ids of the reply's messages, once sent. */
	replyIds: string[];
}

/** Whose or which entries: a person (an email, or a Webex person id), an account, or both. */
export interface AuditQuery {
	person?: string;
	account?: string;
}

export interface AuditPort {
	/** The newest `limit` decisions matching, newest first. */
	recent(query: AuditQuery & {limit: number}): Promise<AuditRow[]>;
	/** "kate@globomantics.com", "acct100", "kate@… acct100", "person:Y2lz…"; empty is no filter. */
	parseQuery(raw: string): Parsed<AuditQuery>;
}
