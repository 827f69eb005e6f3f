// Who is asking, compared as canonical addresses. Unicode case folding made
// "\u212Aate@…" (Kelvin sign) equal "kate@…", and checking only the text after
// the last "@" let "mallory@example.com@globomantics.com" pass as the bank's
// domain. So an address is accepted only when it is plain ASCII with exactly
// one "@", and folded in ASCII only; anything else is no address at all.
import type {Requester} from './policy.js';

// RFC 5322 dot-atom for the local part (no quoted forms, no comments).
const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const localPart = new RegExp(`^${atom}(?:\\.${atom})*$`);
// Host names (RFC 1123 labels), at least two of them: "localhost" is not a mail domain.
const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Upper-case ASCII letters to lower case, and nothing else: the only folding that cannot merge two different addresses. */
const foldAscii = (text: string) => text.replace(/[A-Z]/g, letter => String.fromCharCode(letter.charCodeAt(0) + 32));

const printableAscii = /^[\x21-\x7E]+$/;

/** "Globomantics.COM" → "globomantics.com"; undefined unless a plain ASCII host name of two labels or more. */
export function canonicalDomain(raw: string): string | undefined {
	if (raw.length > 253 || !printableAscii.test(raw)) return undefined;
	const labels = raw.split('.');
	if (labels.length < 2 || !labels.every(part => label.test(part))) return undefined;
	return foldAscii(raw);
}

/** "Kate@Globomantics.com" → "kate@globomantics.com"; undefined for anything that is not one plain ASCII address. */
export function canonicalEmail(raw: string | undefined): string | undefined {
	if (raw === undefined || raw.length > 254 || !printableAscii.test(raw)) return undefined;
	const parts = raw.split('@');
	if (parts.length !== 2) return undefined;
	const [local, domain] = parts as [string, string];
	if (local.length > 64 || !localPart.test(local)) return undefined;
	const host = canonicalDomain(domain);
	return host === undefined ? undefined : `${foldAscii(local)}@${host}`;
}

/** The domain of a canonical address, with its "@": "kate@globomantics.com" → "@globomantics.com". */
export const domainOf = (email: string) => email.slice(email.indexOf('@'));

/**
 * The requester as the policy sees it. `email` must come from Webex's message
 * or person record (GET /people/{id}), never from a webhook envelope alone; an
 * address that is not canonical is dropped, so that requester matches no grant.
 */
export function requesterOf(personId: string, email: string | undefined): Requester {
	const canonical = canonicalEmail(email);
	return canonical === undefined ? {personId} : {personId, email: canonical};
}

/** Webex's people API, as much of it as establishing a requester needs. */
export interface PeopleLookup {
	get(personId: string): Promise<{emails: readonly string[]}>;
}

/**
 * The requester of a fetched message (GET /messages/{id}): its `personEmail`,
 * or when Webex left that out, the person record's (GET /people/{id}). The
 * envelope's email is never used: a webhook body is only as trustworthy as
 * its signature, while these come from Webex over the bot's own token.
 * A WebexError from the people call is the caller's to retry.
 */
export async function requesterFromWebex(people: PeopleLookup, message: {personId: string; personEmail?: string}): Promise<Requester> {
	const email = message.personEmail ? message.personEmail : (await people.get(message.personId)).emails[0];
	return requesterOf(message.personId, email);
}
