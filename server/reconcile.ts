// After a crash or an ambiguous failure mid-send (no answer, or a 5xx): is our
// reply already in Webex? A candidate is the bot's message with the same
// thread and exact text, created (on Webex's clock) no earlier than a lower
// bound of when our POST began, that no other event has claimed: the inbox's
// reply table makes the match one-to-one, so two identical answers to two
// identical questions are each sent once. A definite rejection (4xx) is
// never reconciled: nothing was created (replier.ts).
import type {CreateMessage, Message, WebexClient} from '../source/webex/types.js';
import {WebexError} from '../source/webex/errors.js';
import type {Logger} from './logger.js';
import {EventOutcome, asOutcome} from './outcome.js';
import {sentPrivatelyText} from './reply.js';
import type {Inbox, InboxEvent} from './store/inbox.js';

/** Only for events whose POST began before sends carried a Webex-clock bound (an older version's): the skew then allowed. */
export const reconcileSkewMs = 5 * 60_000;

export interface ReconcileContext {
	botId: string;
	inbox: Inbox;
	/** Lists messages; never sends. */
	reader: Pick<WebexClient, 'messages'>;
	logger: Logger;
	/** Every message listed tells us about Webex's clock. */
	observe?(created: string): void;
}

/** True when step `step` of the plan is in Webex already (and is now recorded as this event's); false when it must be sent. `since`: Webex's time no later than the POST's start. */
export async function findSentReply(context: ReconcileContext, event: InboxEvent, outgoing: CreateMessage, step: number, since: number, owner: string): Promise<boolean> {
	let candidates: Message[];
	try {
		candidates = await listRecentReplies(context, outgoing, since);
	} catch (error) {
		if (error instanceof WebexError && error.code === 'unauthorised') return cannotList(context, event, outgoing, step, owner);
		throw asOutcome(error, outgoing.toPersonId ? 'person-not-found' : 'room-not-found');
	}
	const expected = outgoing.text?.trim();
	for (const candidate of candidates) context.observe?.(candidate.created);
	for (const candidate of candidates) {
		if (candidate.personId !== context.botId || candidate.text?.trim() !== expected) continue;
		if ((candidate.parentId ?? undefined) !== (outgoing.parentId ?? undefined)) continue;
		if (Date.parse(candidate.created) < since) continue;
		const result = await context.inbox.recordReply(event.messageId, owner, step, candidate.id);
		if (result === 'recorded') {
			context.logger.info({eventId: event.messageId, outcome: 'reconciled', step}, 'reply was already sent');
			return true;
		}
		if (result === 'lost') throw new EventOutcome('lost', 'lease lost while reconciling');
	}
	return false;
}

/**
 * Webex lets a bot list a group room only for messages that mention it, so a
 * thread reply may be impossible to look up (403). The figure-free pointer to
 * the DM is then sent at most once (losing it costs nothing, a second one is
 * noise); anything else is sent again, since a lost answer is the greater harm.
 */
async function cannotList(context: ReconcileContext, event: InboxEvent, outgoing: CreateMessage, step: number, owner: string): Promise<boolean> {
	if (outgoing.text === sentPrivatelyText) {
		const result = await context.inbox.recordReply(event.messageId, owner, step, `unverified:${event.messageId}:${step}`);
		if (result === 'lost') throw new EventOutcome('lost', 'lease lost while reconciling');
		context.logger.warn({eventId: event.messageId, outcome: 'notice-not-resent', status: 403}, 'cannot list the thread to reconcile; not resending the pointer');
		return true;
	}
	context.logger.warn({eventId: event.messageId, outcome: 'reconcile-unavailable', status: 403}, 'cannot list the thread to reconcile; sending');
	return false;
}

async function listRecentReplies(context: ReconcileContext, outgoing: CreateMessage, since: number): Promise<Message[]> {
	const {messages} = context.reader;
	if (outgoing.toPersonId) return messages.listDirect({personId: outgoing.toPersonId});
	if (outgoing.toPersonEmail) return messages.listDirect({personEmail: outgoing.toPersonEmail});
	const found: Message[] = [];
	// Newest first: stop at the first message older than the window.
	for await (const message of messages.list({roomId: outgoing.roomId!, ...(outgoing.parentId && {parentId: outgoing.parentId}), max: 100})) {
		if (Date.parse(message.created) < since) break;
		found.push(message);
	}
	return found;
}
