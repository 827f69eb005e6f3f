// What happens to one recorded event, once a worker has claimed it:
//
//   decide   fetch the message → find account ids → may the requester ask? →
//            look the accounts up → the policy decides per account
//   compose  the words (balances, help, refusal, unavailable)
//   route    where they go (the direct room; privately + a thread pointer)
//   save     the plan, with onDecided in the same transaction: from here a
//            retry sends the very same words
//   send     each message: reconcile when a previous attempt may have sent
//            it, else mark the send, POST it, record Webex's id
//
// It knows nothing of HTTP or of where the event came from: its ports are an
// AccountLookup, a Policy, the inbox, two Webex clients and a clock.
import type {GroupReply} from '../source/config.js';
import {AccountSourceError, type AccountLookup} from '../source/crm/lookup.js';
import type {CreateMessage, Message, RoomType, WebexClient} from '../source/webex/types.js';
import {findAccountIds} from './accountIds.js';
import type {Bot} from './bot.js';
import type {AccountOutcome, Decision, DeliveredTo, OnDecided, OnReplied} from './decision.js';
import type {Logger} from './logger.js';
import {EventOutcome, asOutcome} from './outcome.js';
import {gateQuestion} from './policy/gate.js';
import type {Policy, Requester} from './policy/policy.js';
import {throttledText} from './policy/refusal.js';
import {requesterFromWebex} from './policy/requester.js';
import type {Throttle} from './policy/throttle.js';
import type {SqlExecutor} from '../source/sql/types.js';
import {findSentReply, reconcileSkewMs} from './reconcile.js';
import {WebexError} from '../source/webex/errors.js';
import {createWebexTimeFloor} from './webexTimeFloor.js';
import {askedAtNote, balanceText, helpText, lateAfterMs, refusalText, routeReply, unavailableText, type Answer, type ReplyKind} from './reply.js';
import type {Inbox, InboxEvent, ReplyPlan} from './store/inbox.js';
import {retryBackoffMs} from './worker.js';

export interface ReplierOptions {
	bot: Bot;
	inbox: Inbox;
	accounts: AccountLookup;
	policy: Policy;
	/** Per-requester limits (GLOBOBOT_LIMIT_*); absent: none. */
	throttle?: Throttle;
	/** Reads (messages.get, lists): the client may retry them freely. */
	reader: WebexClient;
	/** Sends (messages.create): retries nothing by itself, since a POST that timed out may have been applied. */
	sender: WebexClient;
	/** The longest a POST to Webex can live (the sender's timeout, plus margin): no other worker may take over the event meanwhile. */
	sendWindowMs: number;
	groupReply: GroupReply;
	accountPattern: string;
	/** How long an event waits for an unreachable account source, from its receipt, before the "can't reach the CRM" reply. Default 120 s. */
	crmMaxWaitMs?: number;
	onDecided?: OnDecided;
	onReplied?: OnReplied;
	logger: Logger;
	clock?: () => number;
}

export interface Replier {
	/** Runs one claimed event to its end (or throws an EventOutcome). Returns the finished plan; undefined for the bot's own message. */
	handle(event: InboxEvent, owner: string): Promise<ReplyPlan | undefined>;
}

export const defaultCrmMaxWaitMs = 120_000;

interface Composed extends Answer {
	accounts: Decision['accounts'];
}

export function createReplier(options: ReplierOptions): Replier {
	const clock = options.clock ?? Date.now;
	const crmMaxWaitMs = options.crmMaxWaitMs ?? defaultCrmMaxWaitMs;
	const {bot} = options;
	// Every reply recorded (sent, or found again by reconciliation) reaches onReplied in the same transaction.
	const onReplied = options.onReplied;
	const inbox: Inbox = onReplied
		? {
				...options.inbox,
				recordReply: (messageId, owner, step, replyId, within, completeAs) =>
					options.inbox.recordReply(
						messageId,
						owner,
						step,
						replyId,
						async tx => {
							await onReplied(messageId, replyId, tx);
							await within?.(tx);
						},
						completeAs,
					),
			}
		: options.inbox;
	const webexTime = createWebexTimeFloor();

	async function decide(event: InboxEvent, owner: string): Promise<ReplyPlan | undefined> {
		const message = await fetchMessage(event);
		if (message.personId === bot.id) {
			await inbox.complete(event.messageId, owner, 'ignored-self');
			return undefined;
		}
		const requester = await establishRequester(message);
		const roomType: RoomType = message.roomType ?? event.roomType ?? 'group';
		const accountIds = findAccountIds(message, bot, options.accountPattern);
		const askedAt = Date.parse(message.created);
		// Its lookups were taken before the lookup; its misses are counted in the transaction that saves its decision.
		let misses = 0;
		const composed = await compose(event, requester, roomType, accountIds, counted => (misses = counted));
		const answer = withLateNote(composed, Number.isFinite(askedAt) ? askedAt : (event.createdAt ?? event.receivedAt));
		const messages = routeReply({id: message.id, roomId: message.roomId, roomType, personId: message.personId, ...(message.parentId && {parentId: message.parentId})}, answer, options.groupReply);
		const plan: ReplyPlan = {kind: answer.kind, accountIds, ...(Number.isFinite(askedAt) && {askedAt}), ...(requester.email && {requesterEmail: requester.email}), messages};
		const decision: Decision = {
			eventId: event.messageId,
			source: event.source,
			requester,
			roomId: message.roomId,
			roomType,
			accounts: answer.accounts,
			reply: answer.kind,
			deliveredTo: deliveredTo(roomType, answer.kind, messages),
			decidedAt: clock(),
		};
		const {onDecided, throttle} = options;
		const within = async (tx: SqlExecutor) => {
			await onDecided?.(decision, tx);
			if (misses > 0) await throttle?.recordMisses(requester, misses, tx);
		};
		// The first message's POST follows the commit at once: its send is begun in the same transaction.
		const sendingAfter = sendingAfterNow(plan);
		const saved = await inbox.savePlan(event.messageId, owner, plan, within, {inFlightMs: options.sendWindowMs, ...(sendingAfter !== undefined && {sendingAfter})});
		if (!saved) throw new EventOutcome('lost', 'lease lost before sending');
		return plan;
	}

	/** The "can't reach the CRM" reply keeps its exact words: it is late by design and asks to be asked again. */
	function withLateNote(answer: Composed, askedAt: number): Composed {
		const now = clock();
		if (answer.kind === 'unavailable' || now - askedAt <= lateAfterMs) return answer;
		return {...answer, text: `${answer.text}\n${askedAtNote(askedAt, now)}`};
	}

	async function fetchMessage(event: InboxEvent): Promise<Message> {
		try {
			const message = await options.reader.messages.get(event.messageId);
			webexTime.observe(message.created, clock());
			return message;
		} catch (error) {
			throw asOutcome(error, 'message-not-found');
		}
	}

	/** Who asks, from Webex's message or person record: never the envelope's email. */
	async function establishRequester(message: Message): Promise<Requester> {
		try {
			return await requesterFromWebex(options.reader.people, message);
		} catch (error) {
			throw asOutcome(error, 'person-not-found');
		}
	}

	/**
	 * Through the gate (server/policy/gate.ts): may they ask at all → within their limits → look every
	 * id up, denied or not → the policy per account. A denied id and an unknown one get the very same
	 * line, and cost the same work, so a reply never tells whether an account exists.
	 */
	async function compose(event: InboxEvent, requester: Requester, roomType: RoomType, ids: string[], onMisses: (misses: number) => void): Promise<Composed> {
		const every = (outcome: AccountOutcome) => ids.map(id => ({id, outcome}));
		if (ids.length === 0) {
			if (!(await options.policy.mayAsk(requester))) return {kind: 'refusal', text: refusalText, accounts: []};
			return {kind: 'help', text: helpText(bot.displayName, roomType), accounts: []};
		}
		const throttle = options.throttle && {...options.throttle, recordMisses: async (_requester: Requester, misses: number) => onMisses(misses)};
		const gated = await lookUp(event, () => gateQuestion({policy: options.policy, lookup: options.accounts, ...(throttle && {throttle})}, requester, ids, event.messageId));
		if (!gated) return {kind: 'unavailable', text: unavailableText, accounts: every('crm-unavailable')};
		if (gated.kind === 'refusal') return {kind: 'refusal', text: refusalText, accounts: every('denied')};
		if (gated.kind === 'throttled') {
			options.logger.warn({eventId: event.messageId, outcome: 'throttled', limit: gated.limit, until: gated.until.toISOString()}, 'requester over a limit');
			return {kind: 'throttled', text: throttledText(gated.until), accounts: every('throttled')};
		}
		const denied = new Set(gated.decisions.filter(decision => !decision.allowed).map(decision => decision.accountId));
		return {
			kind: 'balances',
			text: balanceText(ids, gated.visible),
			accounts: ids.map(id => ({id, outcome: denied.has(id) ? 'denied' : gated.visible.has(id) ? 'shown' : 'unknown'})),
		};
	}

	/** The accounts, or undefined once the source has been unreachable for crmMaxWaitMs since the event arrived. Until then: retry, with backoff. */
	async function lookUp<T>(event: InboxEvent, look: () => Promise<T>): Promise<T | undefined> {
		try {
			return await look();
		} catch (error) {
			if (!(error instanceof AccountSourceError)) throw error;
			const waited = clock() - event.receivedAt;
			options.logger.warn({eventId: event.messageId, outcome: 'crm-unavailable', code: error.code, waitedMs: waited}, 'the account source did not answer');
			// Data the CRM got wrong will not get better by waiting.
			if (error.code === 'invalid-data' || waited >= crmMaxWaitMs) return undefined;
			throw new EventOutcome('retry', 'crm-unavailable', Math.max(1, Math.min(retryBackoffMs(event.attempts), crmMaxWaitMs - waited)));
		}
	}

	/** The moment a POST begins, as a lower bound on Webex's clock, as tight as we know it; else the question's own time, which no reply can precede. */
	function sendingAfterNow(plan: ReplyPlan): number | undefined {
		return webexTime.lowerBound(clock()) ?? plan.askedAt;
	}

	/** Sends what is left of the plan; true when the last message's record also completed the event. */
	async function send(event: InboxEvent, plan: ReplyPlan, owner: string): Promise<boolean> {
		// A plan read back from the inbox was interrupted at `event.step`; a fresh one starts at 0, its send already begun (savePlan).
		let step = event.plan ? event.step : 0;
		let sendingAt = event.plan ? event.sendingAt : undefined;
		let begun = !event.plan;
		let completed = false;
		const reconcile = {botId: bot.id, inbox, reader: options.reader, logger: options.logger, observe: (created: string) => webexTime.observe(created, clock())};
		for (; step < plan.messages.length; step++, sendingAt = undefined) {
			const outgoing = plan.messages[step]!;
			// Only a step whose POST had begun can have reached Webex.
			if (sendingAt !== undefined && (await findSentReply(reconcile, event, outgoing, step, event.sendingAfter ?? sendingAt - reconcileSkewMs, owner))) continue;
			if (!begun && !(await inbox.beginSend(event.messageId, owner, step, options.sendWindowMs, sendingAfterNow(plan)))) throw new EventOutcome('lost', 'lease lost before sending');
			begun = false;
			const reply = await create(event, outgoing, step, owner);
			webexTime.observe(reply.created, clock());
			const last = step === plan.messages.length - 1;
			if ((await inbox.recordReply(event.messageId, owner, step, reply.id, undefined, last ? outcomeOf(plan) : undefined)) === 'lost') throw new EventOutcome('lost', 'lease lost after sending');
			completed = last;
		}
		return completed;
	}

	/**
	 * A definite answer from Webex (a 4xx, 429 included) means nothing was
	 * created: the next attempt posts without reconciling, so a message that
	 * merely looks like ours can never stand in for it. A 5xx ended the request
	 * but may have been applied: reconciled, without waiting. No answer at all:
	 * the POST may still be applied, so the event waits out its in-flight
	 * window (the send timeout plus a margin) before it is reconciled.
	 */
	async function create(event: InboxEvent, outgoing: CreateMessage, step: number, owner: string): Promise<Message> {
		try {
			return await options.sender.messages.create(outgoing);
		} catch (error) {
			if (error instanceof WebexError && error.code !== 'unreachable') {
				await inbox.settleSend(event.messageId, owner, step, error.code === 'unavailable' ? 'answered' : 'not-sent');
			}
			throw asOutcome(error, outgoing.toPersonId ? 'person-not-found' : 'room-not-found');
		}
	}

	return {
		async handle(event, owner) {
			const plan = event.plan ?? (await decide(event, owner));
			if (!plan) return undefined;
			if (await send(event, plan, owner)) return plan;
			// Reconciliation found the last message, or nothing was left to send.
			if (!(await inbox.complete(event.messageId, owner, outcomeOf(plan)))) throw new EventOutcome('lost', 'lease lost before completion');
			return plan;
		},
	};
}

const outcomeOf = (plan: ReplyPlan) => (plan.kind === 'refusal' ? 'denied' : 'replied');

/** `room` when figures went into the group room (GLOBOBOT_GROUP_REPLY=room), threaded or not: everyone in it can read them; `thread` only for replies with nothing private. */
function deliveredTo(roomType: RoomType, kind: ReplyKind, messages: readonly CreateMessage[]): DeliveredTo {
	if (roomType === 'direct') return 'direct';
	if (messages.some(message => message.toPersonId || message.toPersonEmail)) return 'dm';
	return kind === 'balances' ? 'room' : 'thread';
}
