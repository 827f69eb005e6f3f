// `globobot-admin audit list|export|prune|verify`: the audit trail of balance
// decisions (server/store/audit.ts). Entries hold ids and outcomes, never a
// figure or a message's text, so nothing here can print one. What comes from
// the database is printed through safeText (the table, CSV) or as JSON with
// every character a terminal could obey escaped (lossless for JSON readers).
import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';
import {loadConfig} from '../config.js';
import {
	type AccountOutcome,
	accountOutcomes,
	AuditError,
	checkRecordedHead,
	type AuditFilter,
	type AuditRecord,
	exportAudit,
	type Verification,
	exportLine,
	listAudit,
	migrateAudit,
	parseExportLine,
	pruneAudit,
	recordedHeadOfEmptyChain,
	verifyAudit,
	verifyEntries,
	verifyExport,
	type VerifyResult,
} from '../../server/store/audit.js';
import {auditTableExists} from '../../server/store/audit/health.js';
import {openSqlStore} from '../../server/store/open.js';
import type {SqlStore} from '../sql/types.js';
import {safeText} from '../terminal/safeText.js';
import {parseInstant} from '../timeSpec.js';
import {type Output, processOutput} from './output.js';
import {CommandError} from './run.js';

// A type alias (not an interface) so it fits cli.tsx's Record<string, unknown>.
export type AuditOptions = {
	action: 'list' | 'export' | 'prune' | 'verify';
	database?: string;
	since?: string;
	until?: string;
	before?: string;
	person?: string;
	account?: string;
	outcome?: string;
	limit?: string;
	file?: string;
	/** SEQ:HASH, a head printed by an earlier verify: it must still be in the chain (or the --file). */
	head?: string;
	/** verify --file: the file is an `export --since` run, so it may start anywhere. */
	partial?: boolean;
	/** prune: even entries younger than GLOBOBOT_AUDIT_RETENTION. */
	force?: boolean;
	json?: boolean;
	csv?: boolean;
};

// JSON.stringify already escapes C0 controls inside strings (raw ones outside are its own indentation);
// these others it leaves as they are, and they can only be inside strings.
const unsafe = /[\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;
/** JSON with every control and bidi character as a \u escape: the same value to a parser, inert on a terminal. */
const safeJson = (value: unknown, indent?: number) => JSON.stringify(value, null, indent).replace(unsafe, character => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);

function instant(text: string | undefined, name: string, now = new Date()): Date | undefined {
	if (text === undefined) return undefined;
	try {
		return parseInstant(text, name, now);
	} catch (error) {
		throw new CommandError((error as Error).message, 2);
	}
}

/** --since and --until; a range that ends before it starts would match nothing, silently, so it is refused. */
function timeRange(options: AuditOptions): {since?: Date; until?: Date} {
	const now = new Date();
	const range = {since: instant(options.since, '--since', now), until: instant(options.until, '--until', now)};
	if (range.since && range.until && range.until.getTime() <= range.since.getTime()) {
		throw new CommandError(`--until (${range.until.toISOString()}) must be later than --since (${range.since.toISOString()})`, 2);
	}
	return range;
}

function filterOf(options: AuditOptions): AuditFilter {
	if (options.json && options.csv) throw new CommandError('choose one of --json and --csv', 2);
	const filter: AuditFilter = timeRange(options);
	if (options.person !== undefined) {
		if (options.person.trim() === '') throw new CommandError('--person must be an email or a Webex person id', 2);
		filter.person = options.person;
	}
	if (options.account !== undefined) {
		if (options.account.trim() === '') throw new CommandError('--account must be an account id', 2);
		filter.account = options.account;
	}
	if (options.outcome !== undefined) {
		if (!accountOutcomes.includes(options.outcome as AccountOutcome)) throw new CommandError(`--outcome must be one of ${accountOutcomes.join(', ')}`, 2);
		filter.outcome = options.outcome as AccountOutcome;
	}
	if (options.limit !== undefined) {
		if (!/^\d{1,7}$/.test(options.limit) || Number(options.limit) < 1 || Number(options.limit) > 1_000_000) throw new CommandError('--limit must be a whole number from 1 to 1000000', 2);
		filter.limit = Number(options.limit);
	}
	return filter;
}

const unreadable = (entry: AuditRecord, column: 'accounts' | 'replyIds') => entry.unreadable?.includes(column) ?? false;
/** What a cell shows for a column of a tampered row that could not be read (verify names the entry). */
const unreadableCell = '(unreadable)';

/** The `--json` shape of a decision, in a fixed key order; an unreadable list is null. */
const recordJson = (entry: AuditRecord) => ({
	seq: entry.seq,
	at: entry.at,
	eventId: entry.eventId,
	source: entry.source,
	requesterEmail: entry.requesterEmail,
	requesterId: entry.requesterId,
	roomId: entry.roomId,
	roomType: entry.roomType,
	accounts: unreadable(entry, 'accounts') ? null : entry.accounts,
	reply: entry.reply,
	deliveredTo: entry.deliveredTo,
	replyIds: unreadable(entry, 'replyIds') ? null : entry.replyIds,
	prevHash: entry.prevHash,
	hash: entry.hash,
});

const csvColumns = ['seq', 'at', 'eventId', 'source', 'requesterEmail', 'requesterId', 'roomId', 'roomType', 'accounts', 'reply', 'deliveredTo', 'replyIds', 'prevHash', 'hash'] as const;

/**
 * RFC 4180: a cell with a comma, quote or line break is quoted, quotes doubled. A cell a
 * spreadsheet would run as a formula (= + - @ first) gets a leading ' (OWASP's advice).
 */
function csvCell(value: string): string {
	const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(entries: readonly AuditRecord[]): string {
	const rows = entries.map(entry => {
		const cells: Record<(typeof csvColumns)[number], string> = {
			...Object.fromEntries(csvColumns.map(column => [column, String((entry as unknown as Record<string, unknown>)[column] ?? '')])),
			accounts: unreadable(entry, 'accounts') ? unreadableCell : entry.accounts.map(account => `${account.id}:${account.outcome}`).join(';'),
			replyIds: unreadable(entry, 'replyIds') ? unreadableCell : entry.replyIds.join(';'),
		} as Record<(typeof csvColumns)[number], string>;
		return csvColumns.map(column => csvCell(safeText(cells[column]))).join(',');
	});
	// Every record ends in CRLF; `out` adds the final LF.
	return [csvColumns.join(','), ...rows].join('\r\n') + '\r';
}

function table(entries: readonly AuditRecord[]): string {
	const header = ['SEQ', 'AT', 'PERSON', 'ROOM', 'REPLY', 'TO', 'SENT', 'ACCOUNTS'];
	const rows = entries.map(entry =>
		[
			String(entry.seq),
			entry.at.replace(/\.\d{3}Z$/, 'Z'),
			entry.requesterEmail ?? entry.requesterId,
			entry.roomType,
			entry.reply,
			entry.deliveredTo,
			unreadable(entry, 'replyIds') ? unreadableCell : entry.replyIds.length > 0 ? String(entry.replyIds.length) : '-',
			unreadable(entry, 'accounts') ? unreadableCell : entry.accounts.map(account => `${account.id} ${account.outcome}`).join(', ') || '-',
		].map(safeText),
	);
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
	return [line(header), ...rows.map(line)].join('\n');
}

async function list(store: SqlStore, options: AuditOptions, filter: AuditFilter, output: Output): Promise<void> {
	const entries = (await auditTableExists(store)) ? await listAudit(store, filter) : [];
	if (options.json) output.out(safeJson(entries.map(recordJson), 2));
	else if (options.csv) output.out(csv(entries));
	else if (entries.length === 0) output.out('no audit entries match');
	else output.out(table(entries));
}

async function exportChain(store: SqlStore, range: {since?: Date; until?: Date}, output: Output): Promise<void> {
	if (!(await auditTableExists(store))) return;
	for await (const entry of exportAudit(store, range)) output.out(safeJson(JSON.parse(exportLine(entry))));
}

/** A duration as GLOBOBOT_AUDIT_RETENTION would spell it: 400d, 12h, 30m, 90s. */
function durationText(ms: number): string {
	for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
	return `${ms}ms`;
}

/**
 * --before, by default now − GLOBOBOT_AUDIT_RETENTION. Entries younger than the retention are the
 * ones an auditor may still ask for, so pruning them (a typo such as `1s` for `1y`) needs --force.
 */
function pruneBefore(options: AuditOptions, retentionMs: number): Date {
	const now = new Date();
	const oldest = new Date(now.getTime() - retentionMs);
	const before = instant(options.before, '--before', now) ?? oldest;
	if (before.getTime() > now.getTime()) throw new CommandError('--before must not be in the future', 2);
	if (before.getTime() > oldest.getTime() && !options.force) {
		throw new CommandError(`--before ${before.toISOString()} would prune entries younger than GLOBOBOT_AUDIT_RETENTION (${durationText(retentionMs)}); add --force to prune them anyway`, 2);
	}
	return before;
}

async function prune(store: SqlStore, before: Date, options: AuditOptions, output: Output): Promise<void> {
	if (!(await auditTableExists(store))) {
		output.out(options.json ? safeJson({removed: 0, before: before.toISOString(), checkpoint: null}, 2) : `nothing to prune from before ${before.toISOString()}`);
		return;
	}
	// Pruning removes evidence: never over a chain that no longer verifies.
	const verified = await verifyAudit(store);
	if (!verified.ok) throw new CommandError(`${broken(verified)}: not pruning (see globobot-admin audit verify)`, 1);
	const result = await pruneAudit(store, before);
	const checkpoint = result.checkpoint ? {seq: result.checkpoint.seq, throughSeq: result.checkpoint.throughSeq, hash: result.checkpoint.hash} : null;
	if (options.json) output.out(safeJson({removed: result.removed, before: before.toISOString(), checkpoint}, 2));
	else if (checkpoint) output.out(`pruned ${result.removed} entries from before ${before.toISOString()} (through entry ${checkpoint.throughSeq}); checkpoint: entry ${checkpoint.seq}`);
	else output.out(`nothing to prune from before ${before.toISOString()}`);
}

const broken = (result: Extract<VerifyResult, {ok: false}>) => `audit chain broken at entry ${result.seq}: ${result.problem} (${result.detail})`;

async function* exportFile(file: string): AsyncGenerator<ReturnType<typeof parseExportLine>> {
	const lines = createInterface({input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY});
	let number = 0;
	for await (const text of lines) {
		number += 1;
		// Only spaces and tabs make a line blank: the README's script skips exactly these too.
		if (/^[ \t]*$/.test(text)) continue;
		yield parseExportLine(text, number);
	}
}

function recordedHead(text: string | undefined): {seq: number; hash: string} | undefined {
	if (text === undefined) return undefined;
	const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
	if (!match) throw new CommandError('--head must be SEQ:HASH as audit verify printed it, e.g. 42:3f9c… (64 hex digits)', 2);
	return {seq: Number(match[1]), hash: match[2]!};
}

type Head = {seq: number; hash: string};


async function verifyFile(file: string, partial: boolean, head: Head | undefined): Promise<Verification> {
	try {
		return await verifyExport(exportFile(file), partial ? 'first' : 'whole', head);
	} catch (error) {
		if (error instanceof AuditError) throw new CommandError(`${safeText(file)}: ${error.message}`, 1);
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CommandError(`${safeText(file)}: no such file`, 2);
		throw error;
	}
}

async function verifyDatabase(store: SqlStore, head: Head | undefined): Promise<Verification> {
	if (!(await auditTableExists(store))) {
		return {result: await verifyEntries([]), ...(head && {recorded: recordedHeadOfEmptyChain(head)})};
	}
	const result = await verifyAudit(store);
	// A chain rewritten from some entry on, rehashed, verifies; the head recorded earlier then is no longer in it.
	return {result, recorded: result.ok && head ? await checkRecordedHead(store, head.seq, head.hash) : undefined};
}

/** The recorded head's fate as a broken chain, when it is one. */
function headProblem({result, recorded, first}: Verification, head: Head, file: boolean): VerifyResult {
	if (!result.ok) return result;
	const fail = (problem: 'altered' | 'removed', detail: string): VerifyResult => ({ok: false, seq: head.seq, problem, detail, entries: result.entries});
	if (recorded === 'changed') return fail('altered', 'its hash is not the one recorded earlier (--head): the chain was rewritten from there or before');
	if (recorded === 'removed' && file) return fail('removed', `it is the head recorded earlier (--head), and the file ends at entry ${result.head.seq}: entries were cut from the newest end`);
	if (recorded === 'removed') return fail('removed', 'it is the head recorded earlier (--head), and it is gone with no entry after it: the newest entries were cut off');
	if (recorded === 'outside') return fail('removed', `it is the head recorded earlier (--head), and the file starts after it, at entry ${first}: export from before it to check it`);
	return result;
}

async function verify(store: SqlStore | undefined, options: AuditOptions, head: Head | undefined, output: Output): Promise<number> {
	const verified = store ? await verifyDatabase(store, head) : await verifyFile(options.file!, options.partial === true, head);
	const {recorded, first} = verified;
	const result = head ? headProblem(verified, head, !store) : verified.result;
	if (options.json) {
		output.out(safeJson(result.ok ? {ok: true, entries: result.entries, headSeq: result.head.seq, headHash: result.head.hash, ...(recorded ? {recordedHead: recorded} : {})} : result, 2));
		return result.ok ? 0 : 1;
	}
	if (!result.ok) throw new CommandError(broken(result), 1);
	output.out(`audit chain verifies: ${result.entries} entries, head entry ${result.head.seq} ${result.head.hash}`);
	if (!store && options.partial && first !== undefined && first > 1) output.out(`the file starts at entry ${first}: what came before it is not checked (--partial)`);
	if (recorded === 'same') output.out(`entry ${head!.seq} still has the recorded hash`);
	if (recorded === 'pruned') output.out(`entry ${head!.seq} has since been pruned: the recorded head cannot be compared`);
	return 0;
}

/** Every flag of the action, checked before any database is opened: a bad one is exit 2 whatever the database. */
function checkedFlags(options: AuditOptions, retentionMs: number) {
	switch (options.action) {
		case 'list':
			return {filter: filterOf(options)};
		case 'export':
			return {range: timeRange(options)};
		case 'prune':
			return {before: pruneBefore(options, retentionMs)};
		case 'verify':
			if (options.partial && options.file === undefined) throw new CommandError('--partial applies only to --file (an export that starts anywhere)', 2);
			return {head: recordedHead(options.head)};
		default:
			throw new CommandError(`unknown audit action "${String(options.action)}"`, 2);
	}
}

export async function run(options: AuditOptions, output: Output = processOutput()): Promise<number> {
	const config = loadConfig({database: options.database});
	const flags = checkedFlags(options, config.auditRetentionMs);
	if (options.action === 'verify' && options.file !== undefined) return verify(undefined, options, flags.head, output);
	let store: SqlStore;
	try {
		// Only prune writes; the others create nothing (no database, no table) and read what there is.
		store = await openSqlStore(config.databaseUrl, {create: options.action === 'prune'});
	} catch (error) {
		throw new CommandError(error instanceof Error ? error.message : String(error), 1);
	}
	try {
		if (options.action === 'prune' && (await auditTableExists(store))) await migrateAudit(store);
		switch (options.action) {
			case 'list':
				await list(store, options, flags.filter!, output);
				return 0;
			case 'export':
				await exportChain(store, flags.range!, output);
				return 0;
			case 'prune':
				await prune(store, flags.before!, options, output);
				return 0;
			default:
				return await verify(store, options, flags.head, output);
		}
	} finally {
		await store.close();
	}
}
