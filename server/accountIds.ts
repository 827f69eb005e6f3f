// Finding the account ids in a question. The original demo took the last word,
// so "I need the acct100 balance" asked for "balance" and "acct300?" kept its
// question mark. Here every match of the pattern counts, wherever it is, with
// surrounding punctuation ignored.
import {accountPattern} from '../source/accountPattern.js';
import type {Message} from '../source/webex/types.js';

/** More ids than this in one message are ignored (one reply line each). */
export const maxAccountIds = 10;

export interface BotIdentity {
	id: string;
	displayName: string;
}

/** The message's words with the bot's own mention removed. */
export function questionText(message: Pick<Message, 'text' | 'html'>, bot: BotIdentity): string {
	const fromHtml = message.html ? withoutMentionInHtml(message.html, bot.id) : undefined;
	if (fromHtml !== undefined) return fromHtml;
	return withoutLeadingName(message.text ?? '', bot.displayName);
}

/** Normalised (upper-case), de-duplicated ids in order of appearance, at most `maxAccountIds`. */
export function findAccountIds(message: Pick<Message, 'text' | 'html'>, bot: BotIdentity, pattern = 'ACCT\\d+'): string[] {
	const text = questionText(message, bot);
	const ids = new Set<string>();
	// Matched case-insensitively, only as a whole word ("xacct1" or "acct1x" is not ACCT1), in linear time (source/accountPattern.ts).
	for (const match of accountPattern(pattern).matches(text)) {
		ids.add(match.toUpperCase());
		if (ids.size === maxAccountIds) break;
	}
	return [...ids];
}

const mentionElement = /<spark-mention\b([^>]*)>[\s\S]*?<\/spark-mention>/gi;

/** Undefined when the html has no mention of the bot (then the text is used). */
function withoutMentionInHtml(html: string, botId: string): string | undefined {
	let found = false;
	const stripped = html.replace(mentionElement, (element, attributes: string) => {
		const id = /data-object-id\s*=\s*["']([^"']*)["']/i.exec(attributes)?.[1];
		if (id !== botId) return element;
		found = true;
		return ' ';
	});
	if (!found) return undefined;
	return decodeEntities(stripped.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** Webex shows only a bot's first name when mentioned, so either form is removed. */
function withoutLeadingName(text: string, displayName: string): string {
	const trimmed = text.trim();
	const names = [displayName.trim(), displayName.trim().split(/\s+/)[0] ?? ''].filter(Boolean);
	for (const name of names) {
		const lead = new RegExp(`^@?${escapeRegExp(name)}(?![\\p{L}\\p{N}_])[\\s,:]*`, 'iu');
		if (lead.test(trimmed)) return trimmed.replace(lead, '');
	}
	return trimmed;
}

const entities: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' '};

function decodeEntities(text: string): string {
	return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
		if (!name.startsWith('#')) return entities[name.toLowerCase()] ?? entity;
		const code = /^#x/i.test(name) ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
		return code <= 0x10_ffff ? String.fromCodePoint(code) : entity;
	});
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
