// Reading the trail: decisions for `audit list` (with their reply ids), and
// the raw chain for `audit export`. Filters run in SQL; the accounts column
// holds canonical JSON, so an account (and its outcome) is found with LIKE on
// its exact `{"id":…,"outcome":…}` text.
import {normaliseAccountId} from '../../../source/crm/accountId.js';
import type {SqlExecutor, SqlValue} from '../../../source/sql/types.js';
import {entryColumns, entryOf, type EntryRow, storedAccounts, storedReplyIds} from './rows.js';
import {storedEntries} from './verify.js';
import type {AccountOutcome, AuditEntry, AuditRecord, DecisionEntry} from './types.js';

export interface AuditFilter {
	/** At or after. */
	since?: Date;
	/** Strictly before. */
	until?: Date;
	/** An email (any case) or a Webex person id. */
	person?: string;
	account?: string;
	/** Decisions where some account (the --account one, when given) had this outcome. */
	outcome?: AccountOutcome;
	/** The newest this many (default 50). */
	limit?: number;
}

const likeEscaped = (text: string) => text.replace(/[\\%_]/g, character => `\\${character}`);

/** Matching decisions, oldest first: the newest `limit` of them. */
export async function listAudit(db: SqlExecutor, filter: AuditFilter = {}): Promise<AuditRecord[]> {
	const where = ["kind = 'decision'"];
	const parameters: SqlValue[] = [];
	const add = (clause: (n: string) => string, value: SqlValue) => {
		parameters.push(value);
		where.push(clause(`$${parameters.length}`));
	};
	if (filter.since) add(n => `at >= ${n}`, filter.since.toISOString());
	if (filter.until) add(n => `at < ${n}`, filter.until.toISOString());
	if (filter.person) {
		add(n => `(requester_email = ${n} OR requester_id = $${parameters.length + 1})`, filter.person.trim().toLowerCase());
		parameters.push(filter.person.trim());
	}
	if (filter.account !== undefined || filter.outcome !== undefined) {
		const id = filter.account === undefined ? undefined : JSON.stringify(normaliseAccountId(filter.account));
		const outcome = filter.outcome === undefined ? undefined : JSON.stringify(filter.outcome);
		const pattern = id && outcome ? `{"id":${id},"outcome":${outcome}}` : id ? `{"id":${id},` : `"outcome":${outcome}}`;
		add(n => `accounts LIKE ${n} ESCAPE '\\'`, `%${likeEscaped(pattern)}%`);
	}
	parameters.push(filter.limit ?? 50);
	const rows = await db.all<EntryRow>(`SELECT ${entryColumns} FROM audit_entries WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${parameters.length}`, parameters);
	const decisions = rows.map(row => ({...(entryOf(row) as DecisionEntry), accounts: storedAccounts(row.accounts)})).reverse();
	const replies = await replyIdsOf(db, decisions.map(decision => decision.seq));
	// A tampered row must not stop an auditor listing the rest: its unreadable column is marked instead.
	return decisions.map(({kind: _kind, accounts, ...decision}) => {
		const sent = replies.get(decision.seq);
		const unreadable = [...(accounts ? [] : ['accounts' as const]), ...(sent?.unreadable ? ['replyIds' as const] : [])];
		return {...decision, accounts: accounts ?? [], replyIds: sent?.ids ?? [], ...(unreadable.length > 0 && {unreadable})};
	});
}

async function replyIdsOf(db: SqlExecutor, seqs: readonly number[]): Promise<Map<number, {ids: string[]; unreadable: boolean}>> {
	const ids = new Map<number, {ids: string[]; unreadable: boolean}>();
	for (let start = 0; start < seqs.length; start += 500) {
		const page = seqs.slice(start, start + 500);
		const rows = await db.all<{decision_seq: number | string; reply_ids: string}>(
			`SELECT decision_seq, reply_ids FROM audit_entries WHERE kind = 'reply-sent' AND decision_seq IN (${page.map((_, index) => `$${index + 1}`).join(', ')}) ORDER BY seq`,
			page,
		);
		for (const row of rows) {
			const seq = Number(row.decision_seq);
			const sent = ids.get(seq) ?? {ids: [], unreadable: false};
			const stored = storedReplyIds(row.reply_ids);
			ids.set(seq, {ids: [...sent.ids, ...(stored ?? [])], unreadable: sent.unreadable || !stored});
		}
	}
	return ids;
}

/**
 * The chain itself, every kind of entry, in seq order: from the first entry made at or after
 * `since` to the last made before `until`, with nothing between left out, so it verifies on its own.
 */
export async function* exportAudit(db: SqlExecutor, range: {since?: Date; until?: Date} = {}): AsyncGenerator<AuditEntry> {
	const from = range.since ? await db.get<{seq: number | string | null}>('SELECT MIN(seq) AS seq FROM audit_entries WHERE at >= $1', [range.since.toISOString()]) : undefined;
	const to = range.until ? await db.get<{seq: number | string | null}>('SELECT MAX(seq) AS seq FROM audit_entries WHERE at < $1', [range.until.toISOString()]) : undefined;
	if (from && (from.seq === null || from.seq === undefined)) return;
	if (to && (to.seq === null || to.seq === undefined)) return;
	for await (const {entry} of storedEntries(db, {from: from ? Number(from.seq) : undefined, to: to ? Number(to.seq) : undefined})) yield entry;
}
