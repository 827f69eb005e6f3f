// The `conversation.activity` frame Webex sends a device for a new message
// (`post`, or `share` when it carries a file; `update` follows a share):
// ids are the uuids inside the REST ids (Webex's activity and conversation
// ids are those uuids), the content is not included (on Webex it is
// encrypted; clients fetch the message over REST), and target.url points at
// this sandbox's conversation service.
import {randomUUID} from 'node:crypto';
import {uuidOf} from '../ids.js';
import type {SandboxMessage} from '../types.js';
import {activityEventType, activityVerbs, conversationServicePath, directRoomTag} from './observed.js';
import type {Frame} from './devices.js';

export function activityFrame(message: SandboxMessage, origin: string, verb: string = message.files ? activityVerbs.share : activityVerbs.post): Frame {
	const id = randomUUID();
	const conversationId = uuidOf(message.roomId) ?? message.roomId;
	const actorId = uuidOf(message.personId) ?? message.personId;
	const published = message.created;
	const envelope = {
		id,
		data: {
			eventType: activityEventType,
			activity: {
				id: uuidOf(message.id) ?? message.id,
				objectType: 'activity',
				verb,
				published,
				actor: {id: actorId, objectType: 'person', emailAddress: message.personEmail, entryUUID: actorId},
				object: {objectType: 'comment'},
				target: {
					id: conversationId,
					objectType: 'conversation',
					url: `${origin}${conversationServicePath}/conversations/${conversationId}`,
					tags: message.roomType === 'direct' ? [directRoomTag] : [],
				},
				...(message.parentId ? {parent: {id: uuidOf(message.parentId) ?? message.parentId, type: 'reply'}} : {}),
			},
		},
		timestamp: Date.parse(published),
		trackingId: `SANDBOX_${randomUUID()}`,
		headers: {},
	};
	return {id, text: JSON.stringify(envelope)};
}
