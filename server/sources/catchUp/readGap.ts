// One read of the gap (§3.6): the rooms active since it began, most recent
// first, and in each the messages created since, newest first; both lists stop
// at the first item older than the gap, so a short gap costs a few requests
// whatever the history. Pages follow Link (the client's list); 429s wait
// Retry-After in the client.
import {WebexError} from '../../../source/webex/errors.js';
import type {ListMessagesQuery, Message, Room, WebexClient} from '../../../source/webex/types.js';
import type {Delivery} from '../source.js';

export interface GapRead {
	/** Rooms active in the gap. */
	rooms: number;
	/** Of those, rooms that could not be read (left since, or refused). */
	skippedRooms: number;
	/** The questions found, oldest first, as deliveries from `catch-up`. */
	deliveries: Delivery[];
}

/** Thrown between requests when the source is stopping. */
export class ReadStopped extends Error {}

export async function readGap(webex: WebexClient, botId: string, gapStart: number, stopping: () => boolean): Promise<GapRead> {
	const read: GapRead = {rooms: 0, skippedRooms: 0, deliveries: []};
	const found: Array<{message: Message; room: Room}> = [];
	for await (const room of webex.rooms.list({sortBy: 'lastactivity', max: 100})) {
		if (stopping()) throw new ReadStopped('stopping');
		if (Date.parse(room.lastActivity ?? room.created) < gapStart) break;
		read.rooms += 1;
		try {
			for (const message of await questionsIn(webex, room, botId, gapStart)) found.push({message, room});
		} catch (error) {
			// Nothing in such a room can be answered, and waiting will not change that: skip it rather than block the gap.
			if (error instanceof WebexError && (error.status === 404 || error.status === 403)) {
				read.skippedRooms += 1;
				continue;
			}
			throw error;
		}
	}
	// Oldest first, as they were asked (equal times keep the order found).
	found.sort((a, b) => Date.parse(a.message.created) - Date.parse(b.message.created));
	read.deliveries = found.map(({message, room}) => deliveryOf(message, room));
	return read;
}

/**
 * Group rooms: only messages that mention the bot (Webex answers a bot 403
 * otherwise, and never shows it the rest). Direct rooms: everything from the
 * person; the bot's own replies are skipped. Pages follow Link; a 403 on a
 * later page (Webex's next links once lost `mentionedPeople`, §5) resumes
 * from the last message read with `beforeMessage` and every parameter again.
 */
async function questionsIn(webex: WebexClient, room: Room, botId: string, gapStart: number): Promise<Message[]> {
	const query: ListMessagesQuery = room.type === 'group' ? {roomId: room.id, mentionedPeople: 'me', max: 100} : {roomId: room.id, max: 100};
	const questions: Message[] = [];
	let last: string | undefined;
	let resumedFrom: string | undefined;
	for (;;) {
		try {
			for await (const message of webex.messages.list({...query, ...(last && {beforeMessage: last})})) {
				// The boundary is inclusive: a message in that very millisecond is read again (a duplicate at worst), never skipped.
				if (Date.parse(message.created) < gapStart) return questions;
				last = message.id;
				if (message.personId !== botId) questions.push(message);
			}
			return questions;
		} catch (error) {
			const refusedLater = error instanceof WebexError && error.status === 403 && last !== undefined && last !== resumedFrom;
			if (!refusedLater) throw error;
			resumedFrom = last;
		}
	}
}

function deliveryOf(message: Message, room: Room): Delivery {
	return {
		messageId: message.id,
		roomId: message.roomId,
		roomType: message.roomType ?? room.type,
		personId: message.personId,
		...(message.personEmail && {personEmail: message.personEmail}),
		...(message.parentId && {parentId: message.parentId}),
		source: 'catch-up',
		createdAt: Date.parse(message.created),
	};
}
