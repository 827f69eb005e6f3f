// Renders Webex markdown mentions the way Webex does for a message posted with
// markdown: `<@personId:ID|Label>` or `<@personEmail:a@b.c|Label>` becomes the
// bare label in `text` (no '@'), a <spark-mention> in `html`, and the person's
// id in `mentionedPeople`. Only the mention syntax is rendered, not the rest
// of markdown.
import type {SandboxPerson} from './types.js';

export interface RenderedMarkdown {
	text: string;
	html: string;
	mentionedPeople: string[];
}

const mentionPattern = /<@(personId|personEmail):([^|>]+)(?:\|([^>]*))?>/g;

export function renderMarkdown(markdown: string, lookup: {byId(id: string): SandboxPerson | undefined; byEmail(email: string): SandboxPerson | undefined}): RenderedMarkdown {
	const textParts: string[] = [];
	const htmlParts: string[] = [];
	const mentionedPeople: string[] = [];
	let last = 0;
	for (const match of markdown.matchAll(mentionPattern)) {
		const [token, kind, key, label] = match;
		const before = markdown.slice(last, match.index);
		textParts.push(before);
		htmlParts.push(escapeHtml(before));
		last = match.index + token.length;
		const person = kind === 'personId' ? lookup.byId(key!.trim()) : lookup.byEmail(key!.trim());
		// Webex shows only a bot's or person's first name when no label is given.
		const shown = label ?? person?.firstName ?? person?.displayName ?? key!;
		textParts.push(shown);
		if (person) {
			htmlParts.push(`<spark-mention data-object-type="person" data-object-id="${person.id}">${escapeHtml(shown)}</spark-mention>`);
			if (!mentionedPeople.includes(person.id)) mentionedPeople.push(person.id);
		} else {
			htmlParts.push(escapeHtml(shown));
		}
	}
	const rest = markdown.slice(last);
	textParts.push(rest);
	htmlParts.push(escapeHtml(rest));
	return {text: textParts.join(''), html: `<p>${htmlParts.join('').replace(/\n/g, '<br/>')}</p>`, mentionedPeople};
}

function escapeHtml(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
