// Posting a message, shared by POST /v1/messages and Sandbox.sendMessage:
// validation as Webex does it, the destination room (a 1:1 room is created on
// first use), mention rendering.
import {now} from './clock.js';
import {badRequest, notFound} from './errors.js';
import {mintId} from './ids.js';
import {renderMarkdown} from './mentions.js';
import type {SandboxState} from './state.js';
import type {SandboxMessage, SandboxPerson, SandboxRoom, SendMessageInput} from './types.js';

/** Webex's limit for `text` and for `markdown`, in bytes. */
export const maxMessageBytes = 7439;

/** `contentsUrl` is where this sandbox serves content `id` from (Webex: https://webexapis.com/v1/contents/{id}). */
export function createMessage(state: SandboxState, sender: SandboxPerson, input: SendMessageInput, contentsUrl: (id: string) => string): SandboxMessage {
	const destinations = [input.roomId, input.toPersonId, input.toPersonEmail].filter(value => value !== undefined);
	if (destinations.length !== 1) throw badRequest('Exactly one of roomId, toPersonId or toPersonEmail is required.');
	if (input.files !== undefined) checkFiles(input.files);
	// A file alone is a message; otherwise there must be words.
	if (input.text === undefined && input.markdown === undefined && input.files === undefined) throw badRequest('text, markdown or files is required.');
	for (const field of ['text', 'markdown'] as const) {
		const value = input[field];
		if (value !== undefined && Buffer.byteLength(value, 'utf8') > maxMessageBytes) {
			throw badRequest(`${field} exceeds the maximum length of ${maxMessageBytes} bytes.`);
		}
	}
	const room = destinationRoom(state, sender, input);
	if (input.parentId !== undefined) checkParent(state, input.parentId, room);
	const rendered = input.markdown === undefined ? undefined : renderMarkdown(input.markdown, {byId: id => state.person(id), byEmail: email => state.personByEmail(email)});
	const message: SandboxMessage = {
		id: mintId('MESSAGE'),
		...(input.parentId === undefined ? {} : {parentId: input.parentId}),
		roomId: room.id,
		roomType: room.type,
		...(input.toPersonId === undefined ? {} : {toPersonId: input.toPersonId}),
		...(input.toPersonEmail === undefined ? {} : {toPersonEmail: input.toPersonEmail}),
		// A file sent alone has no text at all, as on Webex: the field is absent, not empty.
		...(input.text !== undefined || rendered ? {text: input.text ?? rendered?.text ?? ''} : {}),
		...(input.markdown === undefined ? {} : {markdown: input.markdown}),
		...(rendered ? {html: rendered.html} : {}),
		personId: sender.id,
		personEmail: sender.emails[0]!,
		...(rendered?.mentionedPeople.length ? {mentionedPeople: rendered.mentionedPeople} : {}),
		// The file is not fetched: the sandbox only names where Webex would serve it.
		...(input.files === undefined ? {} : {files: [contentsUrl(mintId('CONTENT'))]}),
		created: now(),
	};
	state.addMessage(message);
	return message;
}

/** Webex takes one file per message, by a public URL (or a multipart upload, which the sandbox does not take). */
function checkFiles(files: unknown): void {
	if (!Array.isArray(files) || files.length !== 1) throw badRequest('files must list exactly one file: only one file may be attached to a message.');
	const [url] = files as unknown[];
	if (typeof url !== 'string' || !/^https?:\/\/\S+$/i.test(url)) throw badRequest('files must hold the public http(s) URL of the file.');
}

/** A message as GET /messages/{id} and the lists show it: without the POST-only destination fields. */
export function storedView(message: SandboxMessage): SandboxMessage {
	const {toPersonId: _toPersonId, toPersonEmail: _toPersonEmail, ...rest} = message;
	return rest;
}

function destinationRoom(state: SandboxState, sender: SandboxPerson, input: SendMessageInput): SandboxRoom {
	if (input.roomId !== undefined) {
		const room = state.room(input.roomId);
		// Webex does not reveal rooms the sender is not in.
		if (!room || !state.isMember(room.id, sender.id)) throw notFound('Could not find a room with provided ID.');
		return room;
	}
	const recipient = input.toPersonId === undefined ? state.personByEmail(input.toPersonEmail!) : state.person(input.toPersonId);
	if (!recipient) throw notFound('Could not find a person with provided ID or email.');
	if (recipient.id === sender.id) throw badRequest('Cannot send a private message to yourself.');
	return state.directRoom(sender.id, recipient.id);
}

function checkParent(state: SandboxState, parentId: string, room: SandboxRoom): void {
	const parent = state.message(parentId);
	if (!parent || parent.roomId !== room.id) throw badRequest('Invalid parentId: no such message in this room.');
	if (parent.parentId !== undefined) throw badRequest('Invalid parentId: cannot reply to a reply.');
}
