// From a `post` activity to the Delivery the inbox records. The activity
// carries uuids, not REST ids, and no room or person in REST form, so:
//   1. the REST message id comes from the conversation service (webex_bot's
//      way, right for every region). Only if that lookup fails is it built
//      the SDK's way (base64url of ciscospark://us/MESSAGE/<uuid>), which is
//      right only on the US cluster: better a guess that step 2 verifies
//      than a question left to catch-up;
//   2. GET /v1/messages/{id}, as for a webhook, gives the room, room type,
//      author and thread in REST form (and proves the id).
import type {Activity, Rest} from '../../../source/webex/websocket/index.js';
import {constructedMessageId, messageLookupUrl} from '../../../source/webex/websocket/index.js';
import {WebexError} from '../../../source/webex/errors.js';
import type {Message, WebexClient} from '../../../source/webex/types.js';
import type {Delivery} from '../source.js';

export type Resolved =
	| {kind: 'delivery'; delivery: Delivery; authorId: string}
	/** Nothing to record (gone, or not a question): acknowledge it. */
	| {kind: 'skip'; reason: string; uncertain: boolean}
	/** Could not be read now: do not acknowledge; catch-up should look. */
	| {kind: 'retry'; reason: string};

export interface ResolveDeps {
	rest: Rest;
	messages: Pick<WebexClient['messages'], 'get'>;
}

async function lookUp(activity: Activity, rest: Rest): Promise<string | undefined> {
	const url = messageLookupUrl(activity);
	if (!url) return undefined;
	try {
		const answer = await rest.call<{id?: unknown}>('GET', url, '/conversation/messages/{id}');
		return typeof answer?.id === 'string' && answer.id !== '' ? answer.id : undefined;
	} catch {
		return undefined;
	}
}

export async function resolveActivity(activity: Activity, deps: ResolveDeps): Promise<Resolved> {
	const looked = await lookUp(activity, deps.rest);
	const messageId = looked ?? constructedMessageId(activity);
	let message: Message;
	try {
		message = await deps.messages.get(messageId);
	} catch (error) {
		if (error instanceof WebexError && error.code === 'not-found') {
			// Deleted before we read it; or, with a constructed id, perhaps another region's id: catch-up can tell.
			return {kind: 'skip', reason: looked ? 'message gone' : 'constructed id not found', uncertain: !looked};
		}
		return {kind: 'retry', reason: error instanceof WebexError ? error.code : 'message read failed'};
	}
	const created = Date.parse(message.created);
	return {
		kind: 'delivery',
		authorId: message.personId,
		delivery: {
			messageId: message.id,
			roomId: message.roomId,
			roomType: message.roomType ?? (activity.direct ? 'direct' : 'group'),
			personId: message.personId,
			...(message.personEmail && {personEmail: message.personEmail}),
			...(message.parentId && {parentId: message.parentId}),
			source: 'websocket',
			...(Number.isNaN(created) ? {} : {createdAt: created}),
		},
	};
}
