// The TUI's ports onto the database (source/ui/ports.ts), built here so that
// the views import nothing of the policy or the SQL: the Access screen's
// grants, revokes and checks go through the same GrantsPolicy, parsers and
// segment lookup as `globobot-admin access`; the Audit screen reads the trail
// with `audit list`'s query. The database is opened on first
// use: a TUI that never opens the Access screen never touches it, and one
// that cannot reach it shows why on that screen and tries again next time.
import {accountIdProblem, normaliseAccountId} from '../crm/accountId.js';
import {openDatabase} from '../crm/database.js';
import type {Database} from '../crm/types.js';
import type {SqlStore} from '../sql/types.js';
import type {AccessPort, AuditPort, AuditQuery, Parsed} from '../ui/ports.js';
import {GrantSyntaxError, parseScope, parseSubject} from '../../server/policy/grant.js';
import {grantsPolicy, type GrantsPolicy} from '../../server/policy/grants.js';
import {canonicalEmail} from '../../server/policy/requester.js';
import {auditTableExists, listAudit} from '../../server/store/audit.js';
import {embeddedSegments} from './access.js';

/** Something opened once, on first use; a failed open is tried again by the next call. */
export function once<T>(open: () => Promise<T>): () => Promise<T> {
	let opened: Promise<T> | undefined;
	return () => {
		if (!opened) {
			const attempt = open();
			opened = attempt;
			attempt.catch(() => {
				if (opened === attempt) opened = undefined;
			});
		}
		return opened;
	};
}

/**
 * DATABASE_URL, opened once on first use (the embedded listener's start, or the Access or Audit screen) and
 * closed by `close` if it was. One connection for the whole TUI process, on purpose: a second openDatabase of
 * the same SQLite file in a process that already holds one opens and closes file descriptors on it
 * (privateFiles.ts), and closing any descriptor drops every POSIX lock the process holds on the file. SQLite
 * in another process (an `access` command, say) then believes it is the last user, deletes the WAL, and what
 * this process writes afterwards is lost to everyone else.
 */
export function lazyDatabase(url: string): {open(): Promise<Database>; store(): Promise<SqlStore>; close(): Promise<void>} {
	const open = once(async () => openDatabase(url));
	let used = false;
	return {
		async open() {
			used = true;
			return open();
		},
		async store() {
			used = true;
			return (await open()).store;
		},
		async close() {
			if (!used) return;
			const database = await open().catch(() => undefined);
			await database?.close();
		},
	};
}

const parsed = <T>(parse: () => T): Parsed<T> => {
	try {
		return {ok: true, value: parse()};
	} catch (error) {
		if (error instanceof GrantSyntaxError) return {ok: false, error: error.message};
		throw error;
	}
};

const required = (raw: string, what: string): Parsed<never> | undefined => (raw.trim() === '' ? {ok: false, error: `${what} is required`} : undefined);

/** The Access screen's port: grants on `store`, GLOBOBOT_ALLOW's entries (`allow`) merged in as the listener merges them. */
export function accessPort(store: () => Promise<SqlStore>, allow: readonly string[]): AccessPort {
	const ready = once(async (): Promise<{policy: GrantsPolicy; store: SqlStore}> => {
		const opened = await store();
		return {policy: await grantsPolicy(opened, {allow}), store: opened};
	});
	return {
		async list() {
			const {policy} = await ready();
			const stored = await policy.store.list();
			return [...stored.map(({subject, scope}) => ({subject, scope, source: 'stored' as const})), ...policy.allowGrants.map(({subject, scope}) => ({subject, scope, source: 'GLOBOBOT_ALLOW' as const}))];
		},
		async grant(subject, scope) {
			const {policy} = await ready();
			return (await policy.store.grant(parseSubject(subject), [parseScope(scope)])).length > 0;
		},
		async revoke(subject, scope) {
			const {policy} = await ready();
			return (await policy.store.revoke(parseSubject(subject), [parseScope(scope)])).length > 0;
		},
		async check(email, accountIds) {
			const {policy, store: opened} = await ready();
			const address = canonicalEmail(email);
			const ids = accountIds.map(normaliseAccountId);
			const segments = await embeddedSegments(opened)(ids);
			const accounts = ids.map(id => (segments.has(id) ? {id, segment: segments.get(id)!} : {id}));
			// No canonical address is nobody: every account is denied, as for such a requester in a room.
			const decisions = await policy.decide(address === undefined ? {personId: '(tui check)'} : {personId: '(tui check)', email: address}, accounts);
			return decisions.map((decision, index) => ({...decision, ...(accounts[index]?.segment !== undefined && {segment: accounts[index]!.segment})}));
		},
		parseSubject: raw => required(raw, 'a subject') ?? parsed(() => parseSubject(raw.trim())),
		parseScope: raw => required(raw, 'a scope') ?? parsed(() => parseScope(raw.trim())),
		parseEmail(raw) {
			const missing = required(raw, 'an email');
			if (missing) return missing;
			const email = canonicalEmail(raw.trim());
			return email === undefined ? {ok: false, error: `${JSON.stringify(raw.trim())} is not a plain email address (ASCII, exactly one @)`} : {ok: true, value: email};
		},
		parseAccounts(raw) {
			const ids = raw.split(/[\s,]+/).filter(Boolean).map(normaliseAccountId);
			if (ids.length === 0) return {ok: false, error: 'at least one account id, e.g. ACCT100 ACCT200'};
			for (const id of ids) {
				const problem = accountIdProblem(id);
				if (problem) return {ok: false, error: `account ${problem}`};
			}
			return {ok: true, value: [...new Set(ids)]};
		},
	};
}

/**
 * The Audit screen's filter: words separated by spaces; one with an @ is a person's email, `person:ID` a
 * Webex person id, anything else an account id. At most one person and one account (both: entries of that
 * person about that account). Empty: no filter.
 */
export function parseAuditQuery(raw: string): Parsed<AuditQuery> {
	const query: AuditQuery = {};
	for (const word of raw.trim().split(/\s+/).filter(Boolean)) {
		let person: string | undefined;
		if (/^person:/i.test(word)) {
			person = word.slice('person:'.length);
			if (!/^[\x21-\x7E]{1,200}$/.test(person)) return {ok: false, error: `${JSON.stringify(word)}: person: is followed by a Webex person id`};
		} else if (word.includes('@')) {
			person = canonicalEmail(word);
			if (person === undefined) return {ok: false, error: `${JSON.stringify(word)} is not a plain email address (ASCII, exactly one @)`};
		}
		if (person !== undefined) {
			if (query.person !== undefined) return {ok: false, error: 'one person at a time'};
			query.person = person;
			continue;
		}
		const id = normaliseAccountId(word);
		const problem = accountIdProblem(id);
		if (problem) return {ok: false, error: `account ${problem}; a person is an email or person:ID`};
		if (query.account !== undefined) return {ok: false, error: 'one account at a time'};
		query.account = id;
	}
	return {ok: true, value: query};
}

/** The Audit screen's port: the newest decisions of the trail on `store` (none while the listener has not created it yet). */
export function auditPort(store: () => Promise<SqlStore>): AuditPort {
	return {
		async recent({person, account, limit}) {
			const opened = await store();
			if (!(await auditTableExists(opened))) return [];
			const records = await listAudit(opened, {...(person !== undefined && {person}), ...(account !== undefined && {account}), limit});
			// Newest first, and field by field: only what the screen shows leaves the store.
			return records.reverse().map(record => ({
				seq: record.seq,
				at: record.at,
				requesterEmail: record.requesterEmail,
				requesterId: record.requesterId,
				accounts: record.accounts.map(({id, outcome}) => ({id, outcome})),
				reply: record.reply,
				deliveredTo: record.deliveredTo,
				source: record.source,
				replyIds: [...record.replyIds],
			}));
		},
		parseQuery: parseAuditQuery,
	};
}
