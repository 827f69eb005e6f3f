// Everything the sandbox knows, in memory: people and their tokens, rooms and
// memberships, messages and webhooks. Pure bookkeeping and visibility rules;
// HTTP lives in routes/, delivery in delivery.ts.
import {randomBytes} from 'node:crypto';
import {now} from './clock.js';
import {encodeId, membershipId, mintId, uuidOf} from './ids.js';
import type {SandboxMessage, SandboxPerson, SandboxRoom, SandboxWebhook} from './types.js';

export interface Membership {
	id: string;
	roomId: string;
	personId: string;
	isModerator: boolean;
	created: string;
}

/** What the sandbox keeps about a webhook besides its public fields. */
export interface WebhookHealth {
	/** Times (ms) of recent failed deliveries, for the sliding auto-disable window. */
	failures: number[];
	/** Until when (ms) one failure disables the webhook again. */
	probationUntil: number;
}

export class SandboxState {
	readonly orgId = mintId('ORGANIZATION');
	private readonly peopleById = new Map<string, SandboxPerson>();
	private readonly personByToken = new Map<string, SandboxPerson>();
	private readonly appIdByPerson = new Map<string, string>();
	private readonly roomsById = new Map<string, SandboxRoom>();
	private readonly membershipsByRoom = new Map<string, Map<string, Membership>>();
	private readonly directRoomByPair = new Map<string, string>();
	private readonly messageList: SandboxMessage[] = [];
	private readonly messagesById = new Map<string, SandboxMessage>();
	private readonly webhooksById = new Map<string, SandboxWebhook>();
	readonly webhookHealth = new Map<string, WebhookHealth>();

	// People ---------------------------------------------------------------

	/** `id` and `token` may be given (a rehearsal's saved state, so they survive a restart); by default both are minted. */
	createPerson(input: {displayName: string; email: string; type?: 'person' | 'bot'; id?: string; token?: string}): {person: SandboxPerson; token: string} {
		const email = input.email.trim();
		if (!email.includes('@')) throw new TypeError('a person needs an email address');
		if (this.personByEmail(email)) throw new TypeError('a person with that email already exists');
		if (input.id !== undefined && (input.id === '' || this.peopleById.has(input.id))) throw new TypeError('a person id must be new and not empty');
		if (input.token !== undefined && (!/^\S{16,}$/.test(input.token) || this.personByToken.has(input.token))) throw new TypeError('a token must be new, without spaces, and at least 16 characters');
		const type = input.type ?? 'person';
		const person: SandboxPerson = {
			id: input.id ?? mintId('PEOPLE'),
			emails: [email],
			displayName: input.displayName,
			...(type === 'person' ? splitName(input.displayName) : {}),
			orgId: this.orgId,
			created: now(),
			type,
		};
		// Webex access tokens are long opaque strings; clients must not parse them.
		const token = input.token ?? randomBytes(48).toString('base64url');
		this.peopleById.set(person.id, person);
		this.personByToken.set(token, person);
		this.appIdByPerson.set(person.id, mintId('APPLICATION'));
		return {person, token};
	}

	people(): SandboxPerson[] {
		return [...this.peopleById.values()];
	}

	person(id: string): SandboxPerson | undefined {
		return this.peopleById.get(id);
	}

	personByEmail(email: string): SandboxPerson | undefined {
		const wanted = email.toLowerCase();
		return this.people().find(person => person.emails.some(address => address.toLowerCase() === wanted));
	}

	personByTokenValue(token: string): SandboxPerson | undefined {
		return this.personByToken.get(token);
	}

	/** The app a person's token belongs to (a bot's own app, or a person's integration). */
	appIdOf(personId: string): string {
		return this.appIdByPerson.get(personId) ?? encodeId('APPLICATION', uuidOf(personId) ?? personId);
	}

	// Rooms and memberships -----------------------------------------------

	/** `id` may be given (a rehearsal's saved state); by default it is minted. */
	createRoom(input: {title: string; type?: 'group' | 'direct'; memberIds: string[]; id?: string}): SandboxRoom {
		const type = input.type ?? 'group';
		const memberIds = [...new Set(input.memberIds)];
		const [creatorId] = memberIds;
		if (creatorId === undefined) throw new TypeError('a room needs at least one member');
		for (const id of memberIds) if (!this.peopleById.has(id)) throw new TypeError(`unknown person ${id}`);
		if (input.id !== undefined && (input.id === '' || this.roomsById.has(input.id))) throw new TypeError('a room id must be new and not empty');
		if (type === 'direct') {
			if (memberIds.length !== 2) throw new TypeError('a direct room has exactly two members');
			return this.directRoom(memberIds[0]!, memberIds[1]!, input.id);
		}
		return this.addRoom(input.title, 'group', memberIds, input.id);
	}

	directRoom(personIdA: string, personIdB: string, id?: string): SandboxRoom {
		const a = this.peopleById.get(personIdA);
		const b = this.peopleById.get(personIdB);
		if (!a || !b) throw new TypeError('unknown person');
		if (a.id === b.id) throw new TypeError('a direct room needs two different people');
		const key = [a.id, b.id].sort().join('|');
		const existing = this.directRoomByPair.get(key);
		if (existing) return this.roomsById.get(existing)!;
		const room = this.addRoom(`${a.displayName} & ${b.displayName}`, 'direct', [a.id, b.id], id);
		this.directRoomByPair.set(key, room.id);
		return room;
	}

	/** The 1:1 room of two people if it exists. */
	findDirectRoom(personIdA: string, personIdB: string): SandboxRoom | undefined {
		const id = this.directRoomByPair.get([personIdA, personIdB].sort().join('|'));
		return id ? this.roomsById.get(id) : undefined;
	}

	rooms(): SandboxRoom[] {
		return [...this.roomsById.values()];
	}

	room(id: string): SandboxRoom | undefined {
		return this.roomsById.get(id);
	}

	isMember(roomId: string, personId: string): boolean {
		return this.membershipsByRoom.get(roomId)?.has(personId) ?? false;
	}

	memberships(roomId: string): Membership[] {
		return [...(this.membershipsByRoom.get(roomId)?.values() ?? [])];
	}

	membershipsOf(personId: string): Membership[] {
		return [...this.membershipsByRoom.values()].flatMap(members => {
			const membership = members.get(personId);
			return membership ? [membership] : [];
		});
	}

	private addRoom(title: string, type: 'group' | 'direct', memberIds: string[], id = mintId('ROOM')): SandboxRoom {
		const created = now();
		const room: SandboxRoom = {id, title, type, isLocked: false, creatorId: memberIds[0]!, created, lastActivity: created};
		this.roomsById.set(room.id, room);
		const members = new Map<string, Membership>();
		for (const personId of memberIds) {
			members.set(personId, {id: membershipId(personId, room.id), roomId: room.id, personId, isModerator: false, created});
		}
		this.membershipsByRoom.set(room.id, members);
		return room;
	}

	// Messages -------------------------------------------------------------

	addMessage(message: SandboxMessage): void {
		this.messageList.push(message);
		this.messagesById.set(message.id, message);
		const room = this.roomsById.get(message.roomId);
		if (room) room.lastActivity = message.created;
	}

	deleteMessage(id: string): void {
		const index = this.messageList.findIndex(message => message.id === id);
		if (index !== -1) this.messageList.splice(index, 1);
		this.messagesById.delete(id);
	}

	message(id: string): SandboxMessage | undefined {
		return this.messagesById.get(id);
	}

	/** Oldest first, in the order they were posted. */
	messages(filter: {roomId?: string; personId?: string; parentId?: string} = {}): SandboxMessage[] {
		return this.messageList.filter(
			message =>
				(filter.roomId === undefined || message.roomId === filter.roomId) &&
				(filter.personId === undefined || message.personId === filter.personId) &&
				(filter.parentId === undefined || message.parentId === filter.parentId),
		);
	}

	/**
	 * Whether a person can read a message: room members can, except that a bot
	 * in a group room only sees messages that mention it, and its own.
	 */
	canSee(personId: string, message: SandboxMessage): boolean {
		if (!this.isMember(message.roomId, personId)) return false;
		const person = this.peopleById.get(personId);
		if (person?.type !== 'bot' || message.roomType === 'direct') return true;
		return message.personId === personId || (message.mentionedPeople?.includes(personId) ?? false);
	}

	// Webhooks -------------------------------------------------------------

	addWebhook(webhook: SandboxWebhook): void {
		this.webhooksById.set(webhook.id, webhook);
		this.webhookHealth.set(webhook.id, {failures: [], probationUntil: 0});
	}

	webhook(id: string): SandboxWebhook | undefined {
		return this.webhooksById.get(id);
	}

	webhooks(): SandboxWebhook[] {
		return [...this.webhooksById.values()];
	}

	deleteWebhook(id: string): boolean {
		this.webhookHealth.delete(id);
		return this.webhooksById.delete(id);
	}
}

function splitName(displayName: string): {firstName: string; lastName?: string} {
	const [firstName = displayName, ...rest] = displayName.trim().split(/\s+/);
	return rest.length > 0 ? {firstName, lastName: rest.join(' ')} : {firstName};
}
