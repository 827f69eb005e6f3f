// Webex pages lists with `max` and an RFC 5988 `Link: <…>; rel="next"` whose
// URL carries an opaque cursor. Like Webex, a full last page still gets a
// next link, which then leads to an empty page: clients must keep following
// until there is no next link, not until a short page.
import type {Context} from 'koa';
import {badRequest} from './errors.js';
import {requestOrigin} from './origin.js';

export interface PageLimits {
	defaultMax: number;
	/** Larger values are silently capped, as Webex does. */
	limit?: number;
	/** Query parameters the next link leaves out (a rehearsed quirk). */
	dropFromNext?: readonly string[];
}

/** Reads `max` (1…limit, capped) and the cursor's offset, sets `Link` when more may follow, returns the page. */
export function paginate<T>(ctx: Context, items: T[], limits: PageLimits): T[] {
	const max = readMax(ctx, limits);
	const offset = readCursor(ctx);
	const page = items.slice(offset, offset + max);
	if (page.length === max) ctx.set('Link', `<${nextUrl(ctx, max, offset + max, limits.dropFromNext ?? [])}>; rel="next"`);
	return page;
}

function readMax(ctx: Context, limits: PageLimits): number {
	const raw = ctx.query['max'];
	if (raw === undefined) return limits.defaultMax;
	const max = Number(raw);
	if (typeof raw !== 'string' || !Number.isInteger(max) || max < 1) throw badRequest('max must be a positive integer.');
	return limits.limit ? Math.min(max, limits.limit) : max;
}

function readCursor(ctx: Context): number {
	const raw = ctx.query['cursor'];
	if (raw === undefined) return 0;
	try {
		const {offset} = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8')) as {offset?: unknown};
		if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
	} catch {}
	throw badRequest('Invalid cursor.');
}

function nextUrl(ctx: Context, max: number, offset: number, drop: readonly string[]): string {
	const params = new URLSearchParams();
	for (const [key, value] of new URLSearchParams(ctx.querystring)) {
		if (key !== 'max' && key !== 'cursor' && !drop.includes(key)) params.append(key, value);
	}
	params.set('max', String(max));
	params.set('cursor', Buffer.from(JSON.stringify({offset})).toString('base64url'));
	return `${requestOrigin(ctx)}${ctx.path}?${params}`;
}
