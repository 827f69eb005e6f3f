// `globobot-admin access grant|revoke|list|check|import|unblock`: who may see
// which accounts. Grants live in the database the listeners read on every
// question, so a change here reaches every running `serve` on its next one.
// Subjects, scopes and addresses are checked before the database is opened:
// a malformed one is a one-line error with exit code 2.
import {readFile} from 'node:fs/promises';
import {accountIdProblem, normaliseAccountId} from '../crm/accountId.js';
import {loadConfig, type Config} from '../config.js';
import type {SqlStore} from '../sql/types.js';
import {safeText} from '../terminal/safeText.js';
import {GrantSyntaxError, parseScope, parseSubject, type Grant} from '../../server/policy/grant.js';
import {grantsPolicy, type GrantsPolicy} from '../../server/policy/grants.js';
import {parsePolicy} from '../../server/policy/policyFile.js';
import type {AccessDecision} from '../../server/policy/policy.js';
import {canonicalEmail} from '../../server/policy/requester.js';
import {sqlThrottle} from '../../server/policy/throttle.js';
import {openSqlStore} from '../../server/store/open.js';
import {CommandError} from './run.js';

// A type alias (not an interface) so it fits cli.tsx's Record<string, unknown>.
export type AccessOptions = {
	action: 'grant' | 'revoke' | 'list' | 'check' | 'import' | 'unblock';
	subject?: string;
	scopes?: string[];
	email?: string;
	accounts?: string[];
	file?: string;
	dryRun?: boolean;
	/** `--segment ACCT=NAME` hints for `check`, ahead of what the account store knows. */
	segment?: string[];
	database?: string;
	json?: boolean;
};

/** Where the command writes; tests pass their own. */
export interface Output {
	write(text: string): unknown;
}

/** An account's segment by normalised id, from wherever accounts come from; absent when it has none. */
export type SegmentLookup = (ids: readonly string[]) => Promise<Map<string, string>>;

export interface AccessDeps {
	/** For `check`'s segment grants; default: the embedded account store's `segment` column, when it has one. */
	segments?: SegmentLookup;
}

/** `access list --json`: one row per grant, GLOBOBOT_ALLOW's included and marked. */
export interface GrantJson {
	subject: string;
	scope: string;
	source: 'stored' | 'GLOBOBOT_ALLOW';
}

const writeJson = (output: Output, value: unknown) => output.write(`${JSON.stringify(value, null, 2)}\n`);

/** A usage error quoting what was typed or read: bidi overrides and controls shown as escapes, not obeyed by the terminal. */
const usage = (message: string) => new CommandError(safeText(message), 2);

/** Runs `parse`, turning a malformed subject or scope into exit code 2 (with `where` in front, for files). */
function syntax<T>(parse: () => T, where = ''): T {
	try {
		return parse();
	} catch (error) {
		if (error instanceof GrantSyntaxError) throw usage(`${where}${error.message}`);
		throw error;
	}
}

function emailArgument(raw: string | undefined, action: string): string {
	if (raw === undefined) throw new CommandError(`access ${action} needs an EMAIL`, 2);
	const email = canonicalEmail(raw);
	if (email === undefined) throw usage(`${JSON.stringify(raw)} is not a plain email address (ASCII, exactly one @)`);
	return email;
}

function accountArguments(raw: readonly string[] | undefined): string[] {
	if (!raw || raw.length === 0) throw new CommandError('access check needs at least one ACCOUNT', 2);
	return raw.map(value => {
		const id = normaliseAccountId(value);
		const problem = accountIdProblem(id);
		if (problem) throw usage(`account ${problem}`);
		return id;
	});
}

function segmentHints(raw: readonly string[] = []): Map<string, string> {
	const hints = new Map<string, string>();
	for (const hint of raw) {
		const match = /^([^=]+)=(.+)$/.exec(hint);
		const id = match ? normaliseAccountId(match[1]!) : '';
		if (!match || accountIdProblem(id)) throw usage(`--segment ${JSON.stringify(hint)} must be ACCOUNT=SEGMENT`);
		hints.set(id, match[2]!);
	}
	return hints;
}

/**
 * The embedded account store's segments. The `segment` column arrives with
 * the CRM-source work; until a database has it, accounts have no segment
 * here (use --segment hints), rather than `check` failing.
 */
export function embeddedSegments(store: SqlStore): SegmentLookup {
	return async ids => {
		const segments = new Map<string, string>();
		if (ids.length === 0) return segments;
		let rows: Array<{id: string; segment: string | null}>;
		try {
			rows = await store.all(`SELECT id, segment FROM accounts WHERE id IN (${ids.map((_, index) => `$${index + 1}`).join(', ')})`, ids);
		} catch (error) {
			// Only a missing column means "no segments yet" (SQLite: no such column; PostgreSQL: 42703); anything else is a real failure.
			const missing = error instanceof Error && (/no such column/i.test(error.message) || (error as {code?: unknown}).code === '42703');
			if (missing) return segments;
			throw error;
		}
		for (const row of rows) if (row.segment) segments.set(row.id, row.segment);
		return segments;
	};
}

const grantLine = (grant: Grant) => `${grant.subject} ${grant.scope}`;

function table(rows: string[][]): string {
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => row[column]!.length)));
	return rows.map(row => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

async function grant(policy: GrantsPolicy, subject: string, scopes: readonly string[], output: Output): Promise<number> {
	const added = new Set((await policy.store.grant(subject, scopes)).map(grant => grant.scope));
	for (const scope of new Set(scopes)) output.write(added.has(scope) ? `granted ${subject} ${scope}\n` : `${subject} already has ${scope}\n`);
	return 0;
}

async function revoke(policy: GrantsPolicy, subject: string, scopes: readonly string[], output: Output): Promise<number> {
	const removed = await policy.store.revoke(subject, scopes);
	if (removed.length === 0) throw new CommandError(scopes.length > 0 ? `${subject} has no grant ${scopes.join(', ')}` : `${subject} has no grants`, 1);
	for (const grant of removed) output.write(`revoked ${grantLine(grant)}\n`);
	const kept = scopes.filter(scope => !removed.some(grant => grant.scope === scope));
	if (kept.length > 0) output.write(`${subject} had no grant ${kept.join(', ')}\n`);
	return 0;
}

async function list(policy: GrantsPolicy, json: boolean, output: Output): Promise<number> {
	const rows: GrantJson[] = [...(await policy.store.list()).map(grant => ({...grant, source: 'stored' as const})), ...policy.allowGrants.map(({subject, scope}) => ({subject, scope, source: 'GLOBOBOT_ALLOW' as const}))];
	if (json) writeJson(output, rows);
	else if (rows.length === 0) output.write('no grants: nobody may see any account (add one with: globobot-admin access grant SUBJECT SCOPE…)\n');
	else output.write(table([['SUBJECT', 'SCOPE', 'SOURCE'], ...rows.map(row => [row.subject, row.scope, row.source === 'stored' ? 'grant' : 'GLOBOBOT_ALLOW'])]));
	return 0;
}

async function check(policy: GrantsPolicy, email: string, ids: readonly string[], hints: Map<string, string>, segments: SegmentLookup, json: boolean, output: Output): Promise<number> {
	const known = await segments(ids.filter(id => !hints.has(id)));
	const accounts = ids.map(id => {
		const segment = hints.get(id) ?? known.get(id);
		return segment === undefined ? {id} : {id, segment};
	});
	const decisions: AccessDecision[] = await policy.decide({personId: '(access check)', email}, accounts);
	const shown = decisions.map((decision, index) => ({...decision, ...(accounts[index]!.segment !== undefined && {segment: accounts[index]!.segment})}));
	if (json) writeJson(output, shown);
	else {
		const withSegments = shown.some(decision => decision.segment !== undefined);
		const header = ['ACCOUNT', ...(withSegments ? ['SEGMENT'] : []), 'DECISION', 'RULE'];
		output.write(table([header, ...shown.map(decision => [decision.accountId, ...(withSegments ? [decision.segment === undefined ? '-' : safeText(decision.segment)] : []), decision.allowed ? 'allowed' : 'denied', decision.rule])]));
	}
	return decisions.every(decision => decision.allowed) ? 0 : 1;
}

/** Reads and checks a whole policy file before anything changes: unreadable is exit 1, malformed exit 2. */
async function readPolicyFile(file: string): Promise<Grant[]> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		throw new CommandError(safeText(`cannot read ${file}: ${error instanceof Error && 'code' in error ? String(error.code) : String(error)}`), 1);
	}
	return syntax(() => parsePolicy(text, file));
}

async function importFile(policy: GrantsPolicy, file: string, grants: readonly Grant[], dryRun: boolean, json: boolean, output: Output): Promise<number> {
	const change = dryRun ? await policy.store.diff(grants) : await policy.store.replace(grants);
	if (json) {
		writeJson(output, {file, dryRun, ...change});
		return 0;
	}
	for (const grant of change.added) output.write(`+ ${grantLine(grant)}\n`);
	for (const grant of change.removed) output.write(`- ${grantLine(grant)}\n`);
	const counts = `${change.added.length} added, ${change.removed.length} removed, ${change.unchanged} unchanged`;
	output.write(dryRun ? `dry run, nothing changed: ${file} would give ${counts}\n` : `imported ${file}: ${counts}\n`);
	return 0;
}

async function unblock(config: Config, store: SqlStore, email: string, output: Output): Promise<number> {
	const throttle = await sqlThrottle(store, {lookups: config.limitLookups, misses: config.limitMisses});
	output.write((await throttle.unblock(email)) ? `unblocked ${email}\n` : `${email} had nothing counted against the limits\n`);
	return 0;
}

/** What the action needs from its arguments, checked before the database is touched. */
type Work = (context: {policy: GrantsPolicy; store: SqlStore; config: Config}) => Promise<number>;

async function prepare(options: AccessOptions, output: Output, deps: AccessDeps): Promise<Work> {
	const json = options.json === true;
	switch (options.action) {
		case 'grant':
		case 'revoke': {
			if (options.subject === undefined) throw new CommandError(`access ${options.action} needs a SUBJECT`, 2);
			const subject = syntax(() => parseSubject(options.subject!));
			const scopes = (options.scopes ?? []).map(scope => syntax(() => parseScope(scope)));
			if (options.action === 'grant') {
				if (scopes.length === 0) throw new CommandError('access grant needs at least one SCOPE (all, an account id, a pattern like ACCT1*, or segment:NAME)', 2);
				return async ({policy}) => grant(policy, subject, scopes, output);
			}
			return async ({policy}) => revoke(policy, subject, scopes, output);
		}
		case 'list': {
			return async ({policy}) => list(policy, json, output);
		}
		case 'check': {
			const email = emailArgument(options.email, 'check');
			const ids = accountArguments(options.accounts);
			const hints = segmentHints(options.segment);
			return async ({policy, store}) => check(policy, email, ids, hints, deps.segments ?? embeddedSegments(store), json, output);
		}
		case 'import': {
			if (!options.file) throw new CommandError('access import needs a FILE', 2);
			const file = options.file;
			const grants = await readPolicyFile(file);
			return async ({policy}) => importFile(policy, file, grants, options.dryRun === true, json, output);
		}
		case 'unblock': {
			const email = emailArgument(options.email, 'unblock');
			return async ({config, store}) => unblock(config, store, email, output);
		}
		default: {
			throw new CommandError(`unknown access action "${String(options.action)}"`, 2);
		}
	}
}

export async function run(options: AccessOptions, output: Output = process.stdout, deps: AccessDeps = {}): Promise<number> {
	const config = loadConfig({database: options.database});
	const work = await prepare(options, output, deps);
	let store: SqlStore;
	try {
		store = await openSqlStore(config.databaseUrl);
	} catch (error) {
		throw new CommandError(error instanceof Error ? error.message : String(error), 1);
	}
	try {
		const policy = await grantsPolicy(store, {allow: config.allow});
		return await work({policy, store, config});
	} finally {
		await store.close();
	}
}
