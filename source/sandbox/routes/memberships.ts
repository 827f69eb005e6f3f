// /v1/memberships: who is in a room the caller is in, or the caller's own memberships.
import type Router from '@koa/router';
import {caller} from '../auth.js';
import type {SandboxCore} from '../core.js';
import {notFound} from '../errors.js';
import {paginate} from '../pagination.js';
import {membershipView} from '../views.js';

export function membershipRoutes(router: Router, {state}: SandboxCore): void {
	router.get('/memberships', ctx => {
		const person = caller(ctx);
		const {roomId, personId, personEmail} = ctx.query;
		let memberships;
		if (typeof roomId === 'string' && roomId !== '') {
			if (!state.isMember(roomId, person.id)) throw notFound('Could not find a room with provided ID.');
			memberships = state.memberships(roomId);
		} else {
			memberships = state.membershipsOf(person.id);
		}
		const email = typeof personEmail === 'string' ? personEmail.toLowerCase() : undefined;
		memberships = memberships.filter(membership => {
			if (typeof personId === 'string' && membership.personId !== personId) return false;
			if (email !== undefined && state.person(membership.personId)?.emails[0]?.toLowerCase() !== email) return false;
			return true;
		});
		ctx.body = {items: paginate(ctx, memberships, {defaultMax: 100, limit: 1000}).map(membership => membershipView(state, membership))};
	});

	router.get('/memberships/:membershipId', ctx => {
		const person = caller(ctx);
		const membership = state
			.membershipsOf(person.id)
			.flatMap(own => state.memberships(own.roomId))
			.find(candidate => candidate.id === ctx.params['membershipId']);
		if (!membership) throw notFound('Membership not found.');
		ctx.body = membershipView(state, membership);
	});
}
