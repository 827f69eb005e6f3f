// What happens to a delivery, in order. Read this file to know the listener.
//
// On Webex's POST (answered in milliseconds, no Webex call before the answer):
//   read body → verify signature → validate envelope → ignore the bot itself
//   → record in the inbox (dedupe by message id) → answer 2xx
//
// Later, in the worker, for each recorded event (claimed under a lease):
//   fetch the message → find account ids → authorise → look up → compose and
//   route the reply → (plan saved: the event is now `sending`) → for each reply
//   message: reconcile if a previous attempt may have sent it, else mark the
//   send, POST it, record Webex's id → complete.
import type {Context, Middleware, Next} from 'koa';
import type {AccountStore} from '../source/crm/types.js';
import type {GroupReply} from '../source/config.js';
import type {CreateMessage, Message, WebexClient} from '../source/webex/types.js';
import {WebexError} from '../source/webex/errors.js';
import {findAccountIds, type BotIdentity} from './accountIds.js';
import {isAllowed} from './authorize.js';
import {BodyTooLargeError, readRawBody} from './body.js';
import {parseEnvelope} from './envelope.js';
import type {ListenerEvent} from './events.js';
import type {Inbox, InboxEvent, ReplyPlan} from './inbox.js';
import type {Logger} from './logger.js';
import type {ListenerMetrics} from './metrics.js';
import {balanceText, helpText, refusalText, routeReply, sentPrivatelyText, type Answer} from './reply.js';
import {verifySignature} from './verify.js';

export interface Bot extends BotIdentity {
	email: string;
}

/** Everything the steps need; built once by listener.ts. */
export interface PipelineContext {
	bot: Bot;
	inbox: Inbox;
	accounts: AccountStore;
	/** Reads (messages.get, lists): the client may retry them freely. */
	webex: WebexClient;
	/** Sends (messages.create): see listener.ts for why it retries nothing by itself. */
	sender: WebexClient;
	/** The longest a POST to Webex can live (the sender's timeout, plus margin): no other worker may take over the event meanwhile. */
	sendWindowMs: number;
	secrets: readonly string[];
	allowUnsigned: boolean;
	allow: readonly string[];
	groupReply: GroupReply;
	accountPattern: string;
	emit(event: Omit<ListenerEvent, 'at'>): void;
	metrics: ListenerMetrics;
	logger: Logger;
	/** Tells the worker a new event is waiting. */
	wake(): void;
}

// ---------------------------------------------------------------------------
// The delivery: Koa middleware, one step each.

interface DeliveryState {
	rawBody?: Buffer;
	messageId?: string;
}

/** The ordered steps for POST <webhookPath>. */
export function deliverySteps(context: PipelineContext): Middleware[] {
	return [timeAnswer(context), readBody(context), verify(context), validateEnvelope(context), ignoreSelf(context), recordInInbox(context)];
}

function timeAnswer(context: PipelineContext): Middleware {
	return async (_ctx, next) => {
		const started = performance.now();
		await next();
		context.metrics.deliveryLatency((performance.now() - started) / 1000);
	};
}

function readBody(context: PipelineContext): Middleware {
	return async (ctx, next) => {
		try {
			state(ctx).rawBody = await readRawBody(ctx.req);
		} catch (error) {
			if (!(error instanceof BodyTooLargeError)) throw error;
			ctx.set('Connection', 'close');
			return reject(ctx, context, 413, 'too-large', 'request body too large');
		}
		await next();
	};
}

function verify(context: PipelineContext): Middleware {
	return async (ctx, next) => {
		if (context.secrets.length === 0 && context.allowUnsigned) return next();
		const header = ctx.get('x-spark-signature') || undefined;
		if (!header) return reject(ctx, context, 401, 'missing-signature', 'missing signature');
		if (!verifySignature(state(ctx).rawBody!, header, context.secrets)) return reject(ctx, context, 401, 'bad-signature', 'bad signature');
		await next();
	};
}

function validateEnvelope(context: PipelineContext): Middleware {
	return async (ctx, next) => {
		const result = parseEnvelope(state(ctx).rawBody!);
		if (result.kind === 'invalid') return reject(ctx, context, 400, result.reason === 'malformed JSON' ? 'malformed' : result.reason, result.reason);
		if (result.kind === 'other') return acknowledge(ctx, context, {outcome: 'ignored', reason: 'other-event'});
		ctx.state.delivery = result.message;
		state(ctx).messageId = result.message.id;
		await next();
	};
}

/** The bot is told about its own replies too; answering them would loop forever. */
function ignoreSelf(context: PipelineContext): Middleware {
	return async (ctx, next) => {
		const {personId, id} = ctx.state.delivery as {personId: string; id: string};
		if (personId === context.bot.id) return acknowledge(ctx, context, {outcome: 'ignored', reason: 'self', eventId: id});
		await next();
	};
}

/** Durable before the 2xx: once Webex hears "ok", the question cannot be lost. */
function recordInInbox(context: PipelineContext): Middleware {
	return async (ctx, _next: Next) => {
		const delivery = ctx.state.delivery as {id: string; roomId: string; roomType?: 'direct' | 'group'; personId: string; personEmail?: string; parentId?: string; created?: string};
		let isNew: boolean;
		try {
			isNew = await context.inbox.record({
				messageId: delivery.id,
				roomId: delivery.roomId,
				personId: delivery.personId,
				...(delivery.roomType && {roomType: delivery.roomType}),
				...(delivery.personEmail && {personEmail: delivery.personEmail}),
				...(delivery.parentId && {parentId: delivery.parentId}),
				// Webex's time of the message: catch-up's watermark (issue 11) rises with it.
				...(delivery.created && Number.isFinite(Date.parse(delivery.created)) && {createdAt: Date.parse(delivery.created)}),
			});
		} catch (error) {
			context.logger.error({eventId: delivery.id, outcome: 'failed', err: errorSummary(error)}, 'could not record the delivery');
			ctx.status = 503;
			ctx.body = {error: 'temporarily unavailable'};
			context.emit({outcome: 'failed', eventId: delivery.id, reason: 'inbox-unavailable', status: 503});
			return;
		}
		if (!isNew) return acknowledge(ctx, context, {outcome: 'duplicate', eventId: delivery.id, status: 200});
		acknowledge(ctx, context, {outcome: 'received', eventId: delivery.id, ...(delivery.personEmail && {requesterEmail: delivery.personEmail}), status: 200});
		context.wake();
	};
}

function state(ctx: Context): DeliveryState {
	return ctx.state as DeliveryState;
}

function reject(ctx: Context, context: PipelineContext, status: number, reason: string, message: string): void {
	ctx.status = status;
	ctx.body = {error: message};
	const eventId = state(ctx).messageId;
	context.emit({outcome: 'rejected', reason, status, ...(eventId && {eventId})});
}

function acknowledge(ctx: Context, context: PipelineContext, event: Omit<ListenerEvent, 'at'>): void {
	ctx.status = 200;
	ctx.body = {ok: true};
	context.emit({status: 200, ...event});
}

// ---------------------------------------------------------------------------
// The worker's steps for one claimed event.

/** Why an event ended without a reply, or must be tried again. */
export class EventOutcome extends Error {
	constructor(
		/** `failed`: ends the event; `retry`: back to the inbox after `delayMs`; `lost`: another worker owns it now. */
		readonly kind: 'failed' | 'retry' | 'lost',
		readonly reason: string,
		readonly delayMs = 0,
		readonly status?: number,
	) {
		super(reason);
	}
}

/** How long before `sendingAt` a reply found in Webex may have been created (clock skew between us and Webex). */
export const reconcileSkewMs = 5 * 60_000;

/** Runs one claimed event to its end (or throws an EventOutcome). Returns the finished plan. */
export async function handleEvent(event: InboxEvent, owner: string, context: PipelineContext): Promise<ReplyPlan | undefined> {
	const plan = event.plan ?? (await decideReply(event, owner, context));
	if (!plan) return undefined;
	await sendReplies(event, plan, owner, context);
	if (!(await context.inbox.complete(event.messageId, owner, plan.kind === 'refusal' ? 'denied' : 'replied'))) {
		throw new EventOutcome('lost', 'lease lost before completion');
	}
	return plan;
}

/** fetch → find ids → authorise → look up → compose → route, then saved so a retry sends the very same words. */
async function decideReply(event: InboxEvent, owner: string, context: PipelineContext): Promise<ReplyPlan | undefined> {
	const message = await fetchMessage(event, context);
	if (message.personId === context.bot.id) {
		await context.inbox.complete(event.messageId, owner, 'ignored-self');
		return undefined;
	}
	const requesterEmail = message.personEmail ?? event.personEmail;
	const accountIds = findAccountIds(message, context.bot, context.accountPattern);
	const answer = await composeAnswer(requesterEmail, accountIds, context);
	const plan: ReplyPlan = {
		kind: answer.kind,
		accountIds,
		...(requesterEmail && {requesterEmail}),
		messages: routeReply(
			{id: message.id, roomId: message.roomId, roomType: message.roomType ?? event.roomType ?? 'group', personId: message.personId, ...(message.parentId && {parentId: message.parentId})},
			answer,
			context.groupReply,
		),
	};
	if (!(await context.inbox.savePlan(event.messageId, owner, plan))) throw new EventOutcome('lost', 'lease lost before sending');
	return plan;
}

async function fetchMessage(event: InboxEvent, context: PipelineContext): Promise<Message> {
	try {
		return await context.webex.messages.get(event.messageId);
	} catch (error) {
		throw asOutcome(error, 'message-not-found');
	}
}

/** Authorise first: a refusal must not depend on (or reveal) whether the account exists. */
async function composeAnswer(requesterEmail: string | undefined, accountIds: string[], context: PipelineContext): Promise<Answer> {
	if (!isAllowed(requesterEmail, context.allow)) return {kind: 'refusal', text: refusalText};
	if (accountIds.length === 0) return {kind: 'help', text: helpText(context.bot.displayName)};
	const accounts = await context.accounts.getMany(accountIds);
	return {kind: 'balances', text: balanceText(accountIds, accounts)};
}

async function sendReplies(event: InboxEvent, plan: ReplyPlan, owner: string, context: PipelineContext): Promise<void> {
	// A plan read back from the inbox was interrupted at `event.step`; a fresh one starts at 0.
	let step = event.plan ? event.step : 0;
	let sendingAt = event.plan ? event.sendingAt : undefined;
	for (; step < plan.messages.length; step++, sendingAt = undefined) {
		const outgoing = plan.messages[step]!;
		// Only a step whose POST had begun can have reached Webex.
		if (sendingAt !== undefined && (await findSentReply(event, outgoing, step, sendingAt, owner, context))) continue;
		if (!(await context.inbox.beginSend(event.messageId, owner, step, context.sendWindowMs))) throw new EventOutcome('lost', 'lease lost before sending');
		const reply = await createMessage(outgoing, context);
		const recorded = await context.inbox.recordReply(event.messageId, owner, step, reply.id);
		if (recorded === 'lost') throw new EventOutcome('lost', 'lease lost after sending');
	}
}

async function createMessage(outgoing: CreateMessage, context: PipelineContext): Promise<Message> {
	try {
		return await context.sender.messages.create(outgoing);
	} catch (error) {
		throw asOutcome(error, outgoing.toPersonId ? 'person-not-found' : 'room-not-found');
	}
}

/**
 * After a crash or an ambiguous failure mid-send: is our reply already in
 * Webex? A candidate is the bot's message with the same thread and exact text,
 * created after the send began (less clock skew), that no other event has
 * claimed: the inbox's reply table makes the match one-to-one, so two
 * identical answers to two identical questions are each sent once.
 */
async function findSentReply(event: InboxEvent, outgoing: CreateMessage, step: number, sendingAt: number, owner: string, context: PipelineContext): Promise<boolean> {
	const since = sendingAt - reconcileSkewMs;
	let candidates: Message[];
	try {
		candidates = await listRecentReplies(outgoing, since, context);
	} catch (error) {
		if (error instanceof WebexError && error.status === 403) {
			// Webex lets a bot list a group room only for messages that mention it, so a
			// thread reply may be impossible to look up. The figure-free pointer to the DM is
			// then sent at most once (losing it costs nothing, a second one is noise); figures
			// are sent again, since a lost balance is the greater harm.
			if (outgoing.text === sentPrivatelyText) {
				const result = await context.inbox.recordReply(event.messageId, owner, step, `unverified:${event.messageId}:${step}`);
				if (result === 'lost') throw new EventOutcome('lost', 'lease lost while reconciling');
				context.logger.warn({eventId: event.messageId, outcome: 'notice-not-resent', status: 403}, 'cannot list the thread to reconcile; not resending the pointer');
				return true;
			}
			context.logger.warn({eventId: event.messageId, outcome: 'reconcile-unavailable', status: 403}, 'cannot list the thread to reconcile; sending');
			return false;
		}
		throw asOutcome(error, outgoing.toPersonId ? 'person-not-found' : 'room-not-found');
	}
	const expected = outgoing.text?.trim();
	for (const candidate of candidates) {
		if (candidate.personId !== context.bot.id || candidate.text?.trim() !== expected) continue;
		if ((candidate.parentId ?? undefined) !== (outgoing.parentId ?? undefined)) continue;
		if (Date.parse(candidate.created) < since) continue;
		const result = await context.inbox.recordReply(event.messageId, owner, step, candidate.id);
		if (result === 'recorded') {
			context.logger.info({eventId: event.messageId, outcome: 'reconciled', step}, 'reply was already sent');
			return true;
		}
		if (result === 'lost') throw new EventOutcome('lost', 'lease lost while reconciling');
	}
	return false;
}

async function listRecentReplies(outgoing: CreateMessage, since: number, context: PipelineContext): Promise<Message[]> {
	if (outgoing.toPersonId) return context.webex.messages.listDirect({personId: outgoing.toPersonId});
	if (outgoing.toPersonEmail) return context.webex.messages.listDirect({personEmail: outgoing.toPersonEmail});
	const found: Message[] = [];
	// Newest first: stop at the first message older than the window.
	for await (const message of context.webex.messages.list({roomId: outgoing.roomId!, ...(outgoing.parentId && {parentId: outgoing.parentId}), max: 100})) {
		if (Date.parse(message.created) < since) break;
		found.push(message);
	}
	return found;
}

/** 404: the message, room or person is gone, which ends the event; 429/5xx/no answer: later; other 4xx: Webex refuses, ends. */
function asOutcome(error: unknown, notFoundReason: string): Error {
	if (error instanceof EventOutcome) return error;
	if (!(error instanceof WebexError)) return error instanceof Error ? error : new Error(String(error));
	if (error.status === 404) return new EventOutcome('failed', notFoundReason, 0, 404);
	if (error.status === 429 || error.status >= 500 || error.status === 0) {
		return new EventOutcome('retry', error.status === 0 ? 'webex-unreachable' : `webex-${error.status}`, error.retryAfterMs ?? 0, error.status);
	}
	return new EventOutcome('failed', `webex-${error.status}`, 0, error.status);
}

/** For logs: the kind of failure, never its payload. */
export function errorSummary(error: unknown): string {
	if (error instanceof WebexError) return `webex ${error.method} ${error.path} ${error.status}`;
	if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
	return 'unknown error';
}
