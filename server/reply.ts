// What the bot says and where. The figures keep the original demo's wording,
// one line per account. In a group room the figures go privately by default,
// with only a pointer left in the room's thread.
import {balanceOf, formatMoney} from '../source/crm/money.js';
import type {Account} from '../source/crm/types.js';
import type {GroupReply} from '../source/config.js';
import type {CreateMessage, RoomType} from '../source/webex/types.js';

/** `balance for ACCT100: 40.00 USD` per visible id, `no account ACCT999` per other one (unknown or denied: the same words), in the order asked. */
export function balanceText(ids: readonly string[], accounts: ReadonlyMap<string, Account>): string {
	return ids
		.map(id => {
			const account = accounts.get(id);
			return account ? `balance for ${id}: ${formatMoney(balanceOf(account), account.currency)}` : `no account ${id}`;
		})
		.join('\n');
}

/** When no account id was found: what to ask, with an example. In a direct room nobody needs to mention the bot. */
export function helpText(botName: string, roomType: RoomType = 'group'): string {
	if (roomType === 'direct') return 'I can tell you the balance of an account. Send me its id, for example: what is the balance for ACCT100?';
	return `I can tell you the balance of an account. Mention me with its id, for example: @${botName} what is the balance for ACCT100?`;
}

/** When the account source stayed unreachable for too long: no account named, no figure. */
export const unavailableText = "I can't reach the CRM right now; please ask again in a few minutes.";

/** A question answered this long after it was asked says when it was asked, so the late answer makes sense. */
export const lateAfterMs = 2 * 60_000;

/** "(You asked at 10:42 UTC.)", with the date when it was another day (UTC). */
export function askedAtNote(askedAt: number, now: number): string {
	const asked = new Date(askedAt).toISOString();
	const time = asked.slice(11, 16);
	return asked.slice(0, 10) === new Date(now).toISOString().slice(0, 10) ? `(You asked at ${time} UTC.)` : `(You asked on ${asked.slice(0, 10)} at ${time} UTC.)`;
}

/** Says nothing about whether the account exists, nor what it holds. */
export const refusalText = 'Sorry, you are not on the list of people I may give account balances to. Please ask your administrator if you need access.';

/** Left in a group room's thread when the figures went privately. No figures. */
export const sentPrivatelyText = 'I sent you the answer by direct message.';

export interface ReplyRequest {
	/** The request message. */
	id: string;
	roomId: string;
	roomType: RoomType;
	personId: string;
	/** Set when the request is itself in a thread: Webex threads are one level deep. */
	parentId?: string;
}

export interface Answer {
	kind: ReplyKind;
	text: string;
}

/** balances carry figures (private in a group room by default); the others reveal nothing. */
export type ReplyKind = 'balances' | 'help' | 'refusal' | 'throttled' | 'unavailable';

/**
 * The messages to send for one answer, in order. Only balances are private in a
 * group room: help and refusals reveal nothing, so they stay in the thread.
 */
export function routeReply(request: ReplyRequest, answer: Answer, groupReply: GroupReply): CreateMessage[] {
	if (request.roomType === 'direct') return [{roomId: request.roomId, text: answer.text}];
	const thread = {roomId: request.roomId, parentId: request.parentId ?? request.id};
	if (answer.kind !== 'balances' || groupReply === 'room') return [{...thread, text: answer.text}];
	return [
		{toPersonId: request.personId, text: answer.text},
		{...thread, text: sentPrivatelyText},
	];
}
