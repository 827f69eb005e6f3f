// What happens to Webex's POST, in order, one Koa middleware each, answered
// in milliseconds with no Webex call before the answer:
//   read body → verify signature → validate envelope → ignore the bot itself
//   → accept (record in the inbox, dedupe by message id) → 2xx (or 503)
import type {Context, Middleware, Next} from 'koa';
import type {Report} from '../../activity.js';
import type {ListenerEvent} from '../../events.js';
import type {MessageEventData} from '../../../source/webex/types.js';
import type {Accept} from '../source.js';
import {BodyTooLargeError, readRawBody} from './body.js';
import {parseEnvelope} from './envelope.js';
import {verifySignature} from './verify.js';

export interface StepOptions {
	/** Any of them verifies a delivery (several during a rotation). */
	secrets: readonly string[];
	/** No secrets and this set: deliveries are not verified (serve warns). */
	allowUnsigned: boolean;
	botId: string;
	accept: Accept;
	report: Report;
	/** Time to answer Webex, in seconds. */
	observeAnswer(seconds: number): void;
}

interface DeliveryState {
	rawBody?: Buffer;
	message?: MessageEventData;
}

export function deliverySteps(options: StepOptions): Middleware[] {
	return [timeAnswer(options), readBody(options), verify(options), validateEnvelope(options), ignoreSelf(options), accept(options)];
}

function timeAnswer(options: StepOptions): Middleware {
	return async (_ctx, next) => {
		const started = performance.now();
		await next();
		options.observeAnswer((performance.now() - started) / 1000);
	};
}

function readBody(options: StepOptions): Middleware {
	return async (ctx, next) => {
		try {
			state(ctx).rawBody = await readRawBody(ctx.req);
		} catch (error) {
			if (!(error instanceof BodyTooLargeError)) throw error;
			ctx.set('Connection', 'close');
			return reject(ctx, options, 413, 'too-large', 'request body too large');
		}
		await next();
	};
}

function verify(options: StepOptions): Middleware {
	return async (ctx, next) => {
		if (options.secrets.length === 0 && options.allowUnsigned) return next();
		const header = ctx.get('x-spark-signature') || undefined;
		if (!header) return reject(ctx, options, 401, 'missing-signature', 'missing signature');
		if (!verifySignature(state(ctx).rawBody!, header, options.secrets)) return reject(ctx, options, 401, 'bad-signature', 'bad signature');
		await next();
	};
}

function validateEnvelope(options: StepOptions): Middleware {
	return async (ctx, next) => {
		const result = parseEnvelope(state(ctx).rawBody!);
		if (result.kind === 'invalid') return reject(ctx, options, 400, result.reason === 'malformed JSON' ? 'malformed' : result.reason, result.reason);
		if (result.kind === 'other') return acknowledge(ctx, options, {outcome: 'ignored', reason: 'other-event'});
		state(ctx).message = result.message;
		await next();
	};
}

/** The bot is told about its own replies too; answering them would loop forever. */
function ignoreSelf(options: StepOptions): Middleware {
	return async (ctx, next) => {
		const {personId, id} = state(ctx).message!;
		if (personId === options.botId) return acknowledge(ctx, options, {outcome: 'ignored', reason: 'self', eventId: id});
		await next();
	};
}

/** Durable before the 2xx: once Webex hears "ok", the question cannot be lost. */
function accept(options: StepOptions): Middleware {
	return async (ctx, _next: Next) => {
		const message = state(ctx).message!;
		const created = message.created === undefined ? Number.NaN : Date.parse(message.created);
		const result = await options.accept({
			messageId: message.id,
			roomId: message.roomId,
			personId: message.personId,
			source: 'webhook',
			...(message.roomType && {roomType: message.roomType}),
			...(message.personEmail && {personEmail: message.personEmail}),
			...(message.parentId && {parentId: message.parentId}),
			...(Number.isFinite(created) && {createdAt: created}),
		});
		// Unavailable: not recorded, so Webex must not hear "ok".
		ctx.status = result === 'unavailable' ? 503 : 200;
		ctx.body = result === 'unavailable' ? {error: 'temporarily unavailable'} : {ok: true};
	};
}

function state(ctx: Context): DeliveryState {
	return ctx.state as DeliveryState;
}

function reject(ctx: Context, options: StepOptions, status: number, reason: string, message: string): void {
	ctx.status = status;
	ctx.body = {error: message};
	const eventId = state(ctx).message?.id;
	options.report({outcome: 'rejected', source: 'webhook', reason, status, ...(eventId && {eventId})});
}

function acknowledge(ctx: Context, options: StepOptions, event: Omit<ListenerEvent, 'at'>): void {
	ctx.status = 200;
	ctx.body = {ok: true};
	options.report({status: 200, source: 'webhook', ...event});
}
