// Pure helpers of the demo chat: what the operator types becomes what a Webex
// client would post, and the stored messages become the lines the pane draws.
// No I/O, no React.
import type {SandboxMessage, SandboxPerson, SandboxRoom, SendMessageInput} from '../sandbox/types.js';

/** The body of a message to post: markdown when it mentions someone, plain text otherwise (as Webex clients do). */
export type ChatBody = Pick<SendMessageInput, 'text' | 'markdown'>;

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `@globobot what is …` → markdown `<@personId:BOTID|globobot> what is …`.
 * The bot's display name is matched case-insensitively and only as a whole
 * name: `@globobots` is not a mention.
 */
export function composeMessage(typed: string, bot: Pick<SandboxPerson, 'id' | 'displayName'>): ChatBody {
	const mention = new RegExp(`@${escapeRegExp(bot.displayName)}(?![\\w.-]*\\w)`, 'gi');
	const markdown = typed.replace(mention, `<@personId:${bot.id}|${bot.displayName}>`);
	return markdown === typed ? {text: typed} : {markdown};
}

const mentionMarkup = /<@(?:personId|personEmail):[^|>]+\|([^>]*)>/g;

/** What a person reads: mentions drawn as `@Label`, the way a Webex client shows them. */
export function messageText(message: Pick<SandboxMessage, 'text' | 'markdown'>): string {
	if (message.markdown !== undefined) return message.markdown.replace(mentionMarkup, (_whole, label: string) => `@${label}`);
	return message.text ?? '';
}

/** One row of the chat pane. */
export interface ChatLine {
	/** Stable React key. */
	key: string;
	/** Who wrote it; empty on a message's continuation rows. */
	sender: string;
	/** True for the bot's messages. */
	fromBot: boolean;
	/** 'direct' when the row comes from the person's 1:1 room with the bot, shown beside a group room. */
	via?: 'direct';
	/** The message is a reply in a thread. */
	inThread: boolean;
	text: string;
}

export interface ChatView {
	/** The room the operator types in. */
	room: Pick<SandboxRoom, 'id' | 'type'>;
	/** The person's 1:1 room with the bot; its messages are shown beside a group room, marked `direct`. */
	direct?: Pick<SandboxRoom, 'id'>;
	/** Display names by person id. */
	names: ReadonlyMap<string, string>;
	botId: string;
}

/**
 * The rows for `view`, oldest first: the room's messages and, beside a group
 * room, the person's direct messages with the bot (where the bot sends the
 * figures), each line of a message on its own row.
 */
export function chatLines(messages: readonly SandboxMessage[], view: ChatView): ChatLine[] {
	const besideDirect = view.room.type === 'group' ? view.direct?.id : undefined;
	const lines: ChatLine[] = [];
	for (const message of messages) {
		const inRoom = message.roomId === view.room.id;
		if (!inRoom && message.roomId !== besideDirect) continue;
		const sender = view.names.get(message.personId) ?? message.personEmail;
		const rows = messageText(message).split('\n');
		for (const [index, text] of rows.entries()) {
			lines.push({
				key: `${message.id}:${index}`,
				sender: index === 0 ? sender : '',
				fromBot: message.personId === view.botId,
				...(inRoom ? {} : {via: 'direct' as const}),
				inThread: message.parentId !== undefined,
				text,
			});
		}
	}
	return lines;
}

/** "Globomantics Ops" (a group room's title) or "direct with globobot": short enough for a half-width pane's title. */
export function roomLabel(room: Pick<SandboxRoom, 'title' | 'type'>, botName: string): string {
	return room.type === 'group' ? room.title : `direct with ${botName}`;
}
