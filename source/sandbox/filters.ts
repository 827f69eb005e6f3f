// Webhook filters: `key=value` pairs joined with '&', e.g.
// `mentionedPeople=me&roomType=group`. A message matches when every pair does.
import {badRequest} from './errors.js';
import type {SandboxState} from './state.js';
import type {SandboxMessage} from './types.js';

const messageFilterKeys = new Set(['roomId', 'roomType', 'personId', 'personEmail', 'mentionedPeople', 'hasFiles', 'hasAttachments']);

export function parseFilter(filter: string): Array<[string, string]> {
	return filter
		.split('&')
		.filter(pair => pair !== '')
		.map(pair => {
			const separator = pair.indexOf('=');
			if (separator <= 0) throw badRequest(`invalid filter: ${pair}`);
			return [decode(pair.slice(0, separator)), decode(pair.slice(separator + 1))];
		});
}

/** Rejects filters Webex would reject for a `messages` webhook: unknown keys, bad values, rooms the owner is not in. */
export function validateMessageFilter(filter: string, ownerId: string, state: SandboxState): void {
	for (const [key, value] of parseFilter(filter)) {
		if (!messageFilterKeys.has(key)) throw badRequest(`invalid filter key: ${key}`);
		if (value === '') throw badRequest(`invalid value for filter: ${key}`);
		if (key === 'roomType' && value !== 'direct' && value !== 'group') throw badRequest('invalid value for filter: roomType');
		if (key === 'roomId' && !state.isMember(value, ownerId)) throw badRequest('invalid value for filter: roomId');
		if ((key === 'hasFiles' || key === 'hasAttachments') && value !== 'true' && value !== 'false') throw badRequest(`invalid value for filter: ${key}`);
	}
}

/** Whether a message passes a webhook's filter; `me` in mentionedPeople means the webhook's owner. */
export function messageMatchesFilter(message: SandboxMessage, filter: string | undefined, ownerId: string): boolean {
	if (!filter) return true;
	return parseFilter(filter).every(([key, value]) => {
		switch (key) {
			case 'roomId':
				return message.roomId === value;
			case 'roomType':
				return message.roomType === value;
			case 'personId':
				return message.personId === value;
			case 'personEmail':
				return message.personEmail.toLowerCase() === value.toLowerCase();
			case 'mentionedPeople': {
				const wanted = value.split(',').map(id => (id.trim() === 'me' ? ownerId : id.trim()));
				return wanted.some(id => message.mentionedPeople?.includes(id) ?? false);
			}
			case 'hasFiles':
				return value === String((message.files?.length ?? 0) > 0);
			case 'hasAttachments':
				// The sandbox has no cards, so only `false` can match.
				return value === 'false';
			default:
				return true;
		}
	});
}

function decode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}
