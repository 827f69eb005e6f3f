// /v1/messages: post, read, list (newest first) and the 1:1 list, with the
// visibility rules Webex applies to bots in group rooms.
import type Router from '@koa/router';
import type {Context} from 'koa';
import {caller} from '../auth.js';
import {optionalString, readJsonObject} from '../body.js';
import type {SandboxCore} from '../core.js';
import {badRequest, forbidden, notFound} from '../errors.js';
import {createMessage, storedView} from '../messages.js';
import {requestOrigin} from '../origin.js';
import {paginate} from '../pagination.js';
import type {SandboxMessage, SandboxPerson} from '../types.js';

export function messageRoutes(router: Router, core: SandboxCore): void {
	const {state} = core;

	router.post('/messages', async ctx => {
		const body = await readJsonObject(ctx);
		if (body['attachments'] !== undefined) throw badRequest('The sandbox does not support attachments (cards).');
		const input = {
			roomId: optionalString(body, 'roomId'),
			toPersonId: optionalString(body, 'toPersonId'),
			toPersonEmail: optionalString(body, 'toPersonEmail'),
			text: optionalString(body, 'text'),
			markdown: optionalString(body, 'markdown'),
			parentId: optionalString(body, 'parentId'),
		};
		const files = body['files'] as string[] | undefined;
		const message = createMessage(state, caller(ctx), {...withoutUndefined(input), ...(files !== undefined && {files})}, id => `${requestOrigin(ctx)}${router.opts.prefix ?? ''}/contents/${id}`);
		core.publish(message);
		ctx.body = message;
	});

	// Registered before /messages/:messageId so that "direct" is not taken for an id.
	router.get('/messages/direct', ctx => {
		const person = caller(ctx);
		const {personId, personEmail, parentId} = ctx.query;
		const other =
			typeof personId === 'string' && personId !== ''
				? state.person(personId)
				: typeof personEmail === 'string' && personEmail !== ''
					? state.personByEmail(personEmail)
					: undefined;
		if (personId === undefined && personEmail === undefined) throw badRequest('personId or personEmail is required.');
		if (!other) throw notFound('Could not find a person with provided ID or email.');
		const room = state.findDirectRoom(person.id, other.id);
		const messages = room ? state.messages({roomId: room.id, ...(typeof parentId === 'string' ? {parentId} : {})}) : [];
		ctx.body = {items: newestFirst(messages).map(storedView)};
	});

	router.get('/messages/:messageId', ctx => {
		const message = state.message(ctx.params['messageId']!);
		if (!message || !state.canSee(caller(ctx).id, message)) throw notFound('Could not find a message with provided ID.');
		ctx.body = storedView(message);
	});

	router.get('/messages', ctx => {
		const person = caller(ctx);
		const roomId = ctx.query['roomId'];
		if (typeof roomId !== 'string' || roomId === '') throw badRequest('roomId is required.');
		const room = state.room(roomId);
		if (!room || !state.isMember(room.id, person.id)) throw notFound('Could not find a room with provided ID.');
		const mentioned = mentionedFilter(ctx, person);
		if (person.type === 'bot' && room.type === 'group' && !mentioned) {
			throw forbidden('Bots can only list messages in group rooms with mentionedPeople=me.');
		}
		const messages = newestFirst(state.messages({roomId: room.id}))
			.filter(message => state.canSee(person.id, message))
			.filter(message => !mentioned || (message.mentionedPeople?.includes(person.id) ?? false))
			.filter(byThreadAndTime(ctx));
		const older = olderThanMessage(ctx, messages);
		// Webex caps max at 100 with mentionedPeople; its cap without is not documented.
		const dropFromNext = core.quirks.nextLinksDropMentionedPeople ? ['mentionedPeople'] : [];
		ctx.body = {items: paginate(ctx, older, {defaultMax: 50, limit: mentioned ? 100 : 1000, dropFromNext}).map(storedView)};
	});

	router.delete('/messages/:messageId', ctx => {
		const person = caller(ctx);
		const message = state.message(ctx.params['messageId']!);
		if (!message || !state.canSee(person.id, message)) throw notFound('Could not find a message with provided ID.');
		if (message.personId !== person.id) throw forbidden('Only the author can delete this message.');
		// Matched against webhooks before the message is gone.
		core.publishDeleted(message);
		state.deleteMessage(message.id);
		ctx.status = 204;
	});
}

/** `mentionedPeople` may only name the caller, as `me` or by id. */
function mentionedFilter(ctx: Context, person: SandboxPerson): boolean {
	const value = ctx.query['mentionedPeople'];
	if (value === undefined) return false;
	if (value !== 'me' && value !== person.id) throw badRequest('mentionedPeople only accepts me or your own person id.');
	return true;
}

function byThreadAndTime(ctx: Context): (message: SandboxMessage) => boolean {
	const {parentId, before} = ctx.query;
	let beforeTime: string | undefined;
	if (typeof before === 'string') {
		const time = Date.parse(before);
		if (Number.isNaN(time)) throw badRequest('before must be an ISO-8601 time.');
		beforeTime = new Date(time).toISOString();
	}
	return message =>
		(typeof parentId !== 'string' || message.parentId === parentId) &&
		(beforeTime === undefined || message.created < beforeTime);
}

/** `beforeMessage`: only what was posted before that message (the list is newest first). */
function olderThanMessage(ctx: Context, newestFirstMessages: SandboxMessage[]): SandboxMessage[] {
	const beforeMessage = ctx.query['beforeMessage'];
	if (typeof beforeMessage !== 'string') return newestFirstMessages;
	const index = newestFirstMessages.findIndex(message => message.id === beforeMessage);
	if (index === -1) throw badRequest('beforeMessage is not a message in this room.');
	return newestFirstMessages.slice(index + 1);
}

function newestFirst(messages: SandboxMessage[]): SandboxMessage[] {
	return [...messages].reverse();
}

function withoutUndefined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
