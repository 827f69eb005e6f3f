// Is the body a delivery we act on? Only messages/created carries a
// question for the bot; anything else is acknowledged and ignored so Webex
// doesn't count it as a failure (and disable the webhook).
import {z} from 'zod';
import type {MessageEventData, WebhookEnvelope} from '../../../source/webex/types.js';

const requiredId = (name: string) => z.string({error: `missing ${name}`}).trim().min(1, `missing ${name}`);

const envelopeShape = z.object({
	id: z.string().optional(),
	resource: z.string({error: 'missing resource'}),
	event: z.string({error: 'missing event'}),
	actorId: z.string().optional(),
	data: z.record(z.string(), z.unknown(), {error: 'missing data'}),
});

const messageData = z.object({
	id: requiredId('data.id'),
	roomId: requiredId('data.roomId'),
	personId: requiredId('data.personId'),
	roomType: z.enum(['direct', 'group']).optional().catch(undefined),
	personEmail: z.string().optional().catch(undefined),
	parentId: z.string().optional().catch(undefined),
	created: z.string().optional().catch(undefined),
});

export type EnvelopeResult =
	| {kind: 'message'; envelope: WebhookEnvelope<MessageEventData>; message: MessageEventData}
	| {kind: 'other'; resource: string; event: string}
	| {kind: 'invalid'; reason: string};

/** Parses the raw bytes; `invalid` carries a short reason fit for a 400 answer (no echo of the body). */
export function parseEnvelope(rawBody: Buffer): EnvelopeResult {
	let json: unknown;
	try {
		json = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return {kind: 'invalid', reason: 'malformed JSON'};
	}
	const envelope = envelopeShape.safeParse(json);
	if (!envelope.success) return {kind: 'invalid', reason: firstReason(envelope.error, 'not a webhook envelope')};
	const {resource, event} = envelope.data;
	if (resource !== 'messages' || event !== 'created') return {kind: 'other', resource, event};
	const data = messageData.safeParse(envelope.data.data);
	if (!data.success) return {kind: 'invalid', reason: firstReason(data.error, 'invalid data')};
	const message: MessageEventData = {
		id: data.data.id,
		roomId: data.data.roomId,
		personId: data.data.personId,
		...(data.data.roomType && {roomType: data.data.roomType}),
		...(data.data.personEmail && {personEmail: data.data.personEmail}),
		...(data.data.parentId && {parentId: data.data.parentId}),
		...(data.data.created && {created: data.data.created}),
	};
	return {kind: 'message', envelope: {...(json as WebhookEnvelope<MessageEventData>), data: message}, message};
}

function firstReason(error: z.ZodError, fallback: string): string {
	const issue = error.issues[0];
	if (!issue) return fallback;
	// Our own messages are short and fixed; zod's defaults would name the path.
	if (issue.message.startsWith('missing ')) return issue.message;
	const path = issue.path.join('.');
	return path ? `invalid ${path}` : fallback;
}
