// How resources look on the wire. Fields follow Webex's order in the seed
// captures; optional fields are left out, never null.
import type {Context} from 'koa';
import {uuidOf} from './ids.js';
import {requestOrigin} from './origin.js';
import type {Membership, SandboxState} from './state.js';
import type {SandboxPerson, SandboxRoom, SandboxWebhook} from './types.js';

export function personView(ctx: Context, person: SandboxPerson) {
	return {
		id: person.id,
		emails: person.emails,
		displayName: person.displayName,
		...(person.firstName === undefined ? {} : {firstName: person.firstName}),
		...(person.lastName === undefined ? {} : {lastName: person.lastName}),
		avatar: `${requestOrigin(ctx)}/avatars/${uuidOf(person.id)}`,
		orgId: person.orgId,
		created: person.created,
		type: person.type,
	};
}

/** A direct room is titled, for each member, with the other member's name, as Webex clients show it. */
export function roomView(state: SandboxState, room: SandboxRoom, viewerId: string) {
	const other = room.type === 'direct' ? state.memberships(room.id).find(membership => membership.personId !== viewerId) : undefined;
	const title = other ? (state.person(other.personId)?.displayName ?? room.title) : room.title;
	return {
		id: room.id,
		title,
		type: room.type,
		isLocked: room.isLocked,
		...(room.lastActivity === undefined ? {} : {lastActivity: room.lastActivity}),
		creatorId: room.creatorId,
		created: room.created,
	};
}

export function membershipView(state: SandboxState, membership: Membership) {
	const person = state.person(membership.personId)!;
	const room = state.room(membership.roomId)!;
	return {
		id: membership.id,
		roomId: membership.roomId,
		personId: person.id,
		personEmail: person.emails[0]!,
		personDisplayName: person.displayName,
		personOrgId: person.orgId,
		isModerator: membership.isModerator,
		isMonitor: false,
		isRoomHidden: false,
		roomType: room.type,
		created: membership.created,
	};
}

export function webhookView(webhook: SandboxWebhook) {
	return {
		id: webhook.id,
		name: webhook.name,
		targetUrl: webhook.targetUrl,
		resource: webhook.resource,
		event: webhook.event,
		...(webhook.filter === undefined ? {} : {filter: webhook.filter}),
		...(webhook.secret === undefined ? {} : {secret: webhook.secret}),
		orgId: webhook.orgId,
		createdBy: webhook.createdBy,
		appId: webhook.appId,
		ownedBy: webhook.ownedBy,
		status: webhook.status,
		created: webhook.created,
	};
}
