// Bearer tokens identify people. Everything under /v1 needs one.
import type {Context, Next} from 'koa';
import {WebexHttpError} from './errors.js';
import type {SandboxState} from './state.js';
import type {SandboxPerson} from './types.js';

export function authenticate(state: SandboxState) {
	return async function requireBearerToken(ctx: Context, next: Next): Promise<void> {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
		const person = match ? state.personByTokenValue(match[1]!) : undefined;
		if (!person) throw new WebexHttpError(401, 'The request requires a valid access token set in the Authorization request header.');
		ctx.state['person'] = person;
		await next();
	};
}

/** The person whose token made this request. */
export function caller(ctx: Context): SandboxPerson {
	return ctx.state['person'] as SandboxPerson;
}
