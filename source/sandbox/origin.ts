// The scheme and host the client used to reach us, for absolute URLs in
// answers. (Koa 3's ctx.origin is the request's Origin header, not this.)
import type {Context} from 'koa';

export function requestOrigin(ctx: Context): string {
	return `${ctx.protocol}://${ctx.host}`;
}
