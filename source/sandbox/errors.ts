// Webex's error answer: `{message, errors:[{description}], trackingId}` plus a
// `trackingid` header. Routes throw WebexHttpError; errorHandler renders it.
import {randomUUID} from 'node:crypto';
import type {Context, Next} from 'koa';

export class WebexHttpError extends Error {
	override name = 'WebexHttpError';
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

export const badRequest = (message: string) => new WebexHttpError(400, message);
export const notFound = (message = 'The requested resource could not be found.') => new WebexHttpError(404, message);
export const forbidden = (message: string) => new WebexHttpError(403, message);

export function errorBody(message: string, trackingId: string) {
	return {message, errors: [{description: message}], trackingId};
}

/** Webex prefixes tracking ids with the answering tier; ours say who answered. */
export function newTrackingId(): string {
	return `SANDBOX_${randomUUID()}`;
}

const statusMessages: Record<number, string> = {
	401: 'The request requires a valid access token set in the Authorization request header.',
	404: 'The requested resource could not be found.',
	405: 'The requested method is not allowed for this resource.',
	500: 'An unexpected error occurred on the server.',
};

/** Sets the tracking id on every answer and renders every failure in Webex's shape. */
export async function errorHandler(ctx: Context, next: Next): Promise<void> {
	// A client-sent TrackingID is echoed so both sides can correlate a request.
	const trackingId = ctx.get('trackingid') || newTrackingId();
	ctx.state['trackingId'] = trackingId;
	ctx.set('trackingid', trackingId);
	try {
		await next();
		if (ctx.status >= 400 && ctx.body == null) {
			const message = statusMessages[ctx.status] ?? 'The request failed.';
			const status = ctx.status;
			ctx.body = errorBody(message, trackingId);
			ctx.status = status;
		}
	} catch (error) {
		const status = error instanceof WebexHttpError ? error.status : 500;
		const message = error instanceof WebexHttpError ? error.message : statusMessages[500]!;
		ctx.status = status;
		ctx.body = errorBody(message, trackingId);
		// A client that hung up mid-request (a killed listener, a timed-out test) is not a sandbox fault worth a stack trace.
		if (!(error instanceof WebexHttpError) && !clientWentAway(ctx, error)) ctx.app.emit('error', error, ctx);
	}
}

function clientWentAway(ctx: Context, error: unknown): boolean {
	const code = (error as {code?: string} | undefined)?.code;
	return ctx.req.destroyed || code === 'ECONNRESET' || code === 'ECONNABORTED' || (error instanceof Error && error.message === 'aborted');
}
