// A grant gives a subject a scope. Both are kept in one canonical text form,
// so that a stored row, a command-line argument and a JSON policy file compare
// as plain strings and the table's primary key stops duplicates.
//
//   subjects: kate@globomantics.com | @globomantics.com | *
//   scopes:   all | ACCT100 | ACCT1* | segment:branch-042
import {accountIdProblem} from '../../source/crm/accountId.js';
import type {AccountFacts} from './policy.js';
import {canonicalDomain, canonicalEmail, domainOf} from './requester.js';

export interface Grant {
	subject: string;
	scope: string;
}

/** A subject or scope that cannot be a grant; the message is one line, for `access …` (exit 2). */
export class GrantSyntaxError extends Error {
	override name = 'GrantSyntaxError';
}

// Text from argv or a file may carry anything; show it safely in the one-line error.
const shown = (raw: string) => JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);

/** "Kate@Globomantics.com" → "kate@globomantics.com", "@Globomantics.com" → "@globomantics.com", "*" stays. */
export function parseSubject(raw: string): string {
	if (raw === '*') return raw;
	if (raw.startsWith('@')) {
		const domain = canonicalDomain(raw.slice(1));
		if (domain !== undefined) return `@${domain}`;
		throw new GrantSyntaxError(`subject ${shown(raw)} is not an @domain (plain ASCII, like @globomantics.com)`);
	}
	const email = canonicalEmail(raw);
	if (email !== undefined) return email;
	throw new GrantSyntaxError(`subject ${shown(raw)} must be an email (plain ASCII, exactly one @), an @domain or *`);
}

const segmentPrefix = /^segment:/i;
// Printable ASCII, no leading or trailing space: compared without case, so ASCII keeps that comparison exact.
const segmentName = /^[\x21-\x7E](?:[\x20-\x7E]{0,62}[\x21-\x7E])?$/;
const foldAscii = (text: string) => text.replace(/[A-Z]/g, letter => String.fromCharCode(letter.charCodeAt(0) + 32));
const upperAscii = (text: string) => text.replace(/[a-z]/g, letter => String.fromCharCode(letter.charCodeAt(0) - 32));

/** "ALL" → "all", "acct100" → "ACCT100", "acct1*" → "ACCT1*", "Segment:Branch-042" → "segment:branch-042". */
export function parseScope(raw: string): string {
	if (raw.toLowerCase() === 'all') return 'all';
	if (segmentPrefix.test(raw)) {
		const name = raw.slice('segment:'.length);
		if (segmentName.test(name)) return `segment:${foldAscii(name)}`;
		throw new GrantSyntaxError(`scope ${shown(raw)}: a segment name is 1 to 64 printable ASCII characters`);
	}
	if (!/^[\x21-\x7E]+$/.test(raw)) throw new GrantSyntaxError(`scope ${shown(raw)} must be all, an account id, an id pattern with * or segment:NAME`);
	const id = upperAscii(raw);
	if (id.includes('*')) {
		if (/^\*+$/.test(id)) throw new GrantSyntaxError(`scope ${shown(raw)} matches every account: write all`);
		// A pattern is an id with * standing for any run of characters.
		if (accountIdProblem(id.replace(/\*/g, 'X')) === undefined) return id;
		throw new GrantSyntaxError(`scope ${shown(raw)} is not an id pattern (letters, digits, _ . - and *)`);
	}
	if (accountIdProblem(id) === undefined) return id;
	throw new GrantSyntaxError(`scope ${shown(raw)} must be all, an account id, an id pattern with * or segment:NAME`);
}

/** The subjects that cover a canonical address, most specific first: the rows to read for one requester. */
export const subjectsFor = (email: string): string[] => [email, domainOf(email), '*'];

const patterns = new Map<string, RegExp>();
function patternOf(scope: string): RegExp {
	let pattern = patterns.get(scope);
	if (!pattern) {
		// Scopes are canonical ([A-Z0-9_.-*]); only "." needs escaping.
		pattern = new RegExp(`^${scope.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`);
		if (patterns.size > 10_000) patterns.clear();
		patterns.set(scope, pattern);
	}
	return pattern;
}

/** Whether `scope` covers the account (its id normalised). An account segment that is not plain ASCII matches no segment grant. */
export function scopeCovers(scope: string, account: AccountFacts): boolean {
	if (scope === 'all') return true;
	if (scope.startsWith('segment:')) {
		// typeof: a source's NULL must not become the text "null".
		const segment: unknown = account.segment;
		return typeof segment === 'string' && segmentName.test(segment) && `segment:${foldAscii(segment)}` === scope;
	}
	if (scope.includes('*')) return patternOf(scope).test(account.id);
	return scope === account.id;
}

/** Whether `subject` covers a requester with this canonical address (none: nobody's subject does, not even *). */
export function subjectCovers(subject: string, email: string | undefined): boolean {
	if (email === undefined) return false;
	return subject === '*' || subject === email || subject === domainOf(email);
}

const subjectRank = (subject: string) => (subject === '*' ? 2 : subject.startsWith('@') ? 1 : 0);
const scopeRank = (scope: string) => (scope === 'all' ? 3 : scope.startsWith('segment:') ? 2 : scope.includes('*') ? 1 : 0);

/** Orders grants most specific first (person before domain before *, id before pattern before segment before all), so the rule shown is the narrowest. */
export function bySpecificity(a: Grant, b: Grant): number {
	return subjectRank(a.subject) - subjectRank(b.subject) || scopeRank(a.scope) - scopeRank(b.scope) || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0);
}
