// /v1/rooms: the rooms the caller is a member of.
import type Router from '@koa/router';
import {caller} from '../auth.js';
import type {SandboxCore} from '../core.js';
import {badRequest, notFound} from '../errors.js';
import {paginate} from '../pagination.js';
import type {SandboxRoom} from '../types.js';
import {roomView} from '../views.js';

export function roomRoutes(router: Router, {state}: SandboxCore): void {
	router.get('/rooms', ctx => {
		const person = caller(ctx);
		const type = ctx.query['type'];
		if (type !== undefined && type !== 'direct' && type !== 'group') throw badRequest('type must be direct or group.');
		const sortBy = ctx.query['sortBy'] ?? 'lastactivity';
		if (sortBy !== 'id' && sortBy !== 'lastactivity' && sortBy !== 'created') throw badRequest('sortBy must be id, lastactivity or created.');
		const rooms = state
			.membershipsOf(person.id)
			.map(membership => state.room(membership.roomId)!)
			.filter(room => type === undefined || room.type === type)
			.sort(roomOrder(sortBy));
		ctx.body = {items: paginate(ctx, rooms, {defaultMax: 100, limit: 1000}).map(room => roomView(state, room, person.id))};
	});

	router.get('/rooms/:roomId', ctx => {
		const person = caller(ctx);
		const room = state.room(ctx.params['roomId']!);
		if (!room || !state.isMember(room.id, person.id)) throw notFound('Could not find a room with provided ID.');
		ctx.body = roomView(state, room, person.id);
	});
}

/**
 * lastactivity and created: newest first, as Webex lists them (§3.6). Webex's
 * default order is not documented; the sandbox keeps most recently active first.
 */
function roomOrder(sortBy: 'id' | 'lastactivity' | 'created'): (a: SandboxRoom, b: SandboxRoom) => number {
	if (sortBy === 'id') return (a, b) => a.id.localeCompare(b.id);
	if (sortBy === 'created') return (a, b) => b.created.localeCompare(a.created);
	return (a, b) => (b.lastActivity ?? b.created).localeCompare(a.lastActivity ?? a.created);
}
