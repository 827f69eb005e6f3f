// /v1/people: me, lookup by email, ids or display-name prefix, and by id.
import type Router from '@koa/router';
import {caller} from '../auth.js';
import type {SandboxCore} from '../core.js';
import {badRequest, notFound} from '../errors.js';
import {paginate} from '../pagination.js';
import type {SandboxPerson} from '../types.js';
import {personView} from '../views.js';

/** Webex accepts at most 85 ids in one lookup. */
const maxIds = 85;

export function peopleRoutes(router: Router, {state}: SandboxCore): void {
	router.get('/people/me', ctx => {
		ctx.body = personView(ctx, caller(ctx));
	});

	router.get('/people', ctx => {
		const {email, id, displayName} = ctx.query;
		let found: SandboxPerson[];
		let notFoundIds: string[] | null = null;
		if (typeof id === 'string' && id !== '') {
			const ids = id.split(',').map(value => value.trim()).filter(Boolean);
			if (ids.length > maxIds) throw badRequest(`At most ${maxIds} ids can be looked up at once.`);
			found = ids.flatMap(value => state.person(value) ?? []);
			const missing = ids.filter(value => !state.person(value));
			if (missing.length > 0) notFoundIds = missing;
		} else if (typeof email === 'string' && email !== '') {
			found = [state.personByEmail(email)].filter(person => person !== undefined);
		} else if (typeof displayName === 'string' && displayName !== '') {
			const prefix = displayName.toLowerCase();
			found = state.people().filter(person => person.displayName.toLowerCase().startsWith(prefix));
		} else {
			throw badRequest('Email, displayName, or id list should be specified.');
		}
		// The seed capture shows Webex sending `"notFoundIds": null` when nothing is missing.
		ctx.body = {notFoundIds, items: paginate(ctx, found, {defaultMax: 100}).map(person => personView(ctx, person))};
	});

	router.get('/people/:personId', ctx => {
		const person = state.person(ctx.params['personId']!);
		if (!person) throw notFound('Person not found.');
		ctx.body = personView(ctx, person);
	});
}
