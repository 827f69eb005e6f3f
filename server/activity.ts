// The listener's activity: every outcome is counted, logged, measured and
// told to watchers (the TUI's activity pane) in one place. Never message text,
// balances, tokens or secrets.
import type {ListenerCounters, ListenerEvent, ListenerEventHandler} from './events.js';
import type {Logger} from './logger.js';
import type {ListenerMetrics} from './metrics.js';
import type {ReplyPlan, InboxEvent} from './store/inbox.js';
import type {EventOutcome} from './outcome.js';

export type Report = (event: Omit<ListenerEvent, 'at'>) => void;

export interface Activity {
	report: Report;
	/** An event the worker finished: replied, denied, or the bot's own message ignored. */
	finished(event: InboxEvent, plan: ReplyPlan | undefined): void;
	failed(event: InboxEvent, outcome: EventOutcome): void;
	retried(event: InboxEvent, reason: string, delayMs: number): void;
	counters(): ListenerCounters;
	onEvent(handler: ListenerEventHandler): () => void;
}

const zeroCounters = (): ListenerCounters => ({received: 0, replied: 0, rejected: 0, denied: 0, failed: 0, duplicate: 0, ignored: 0});

export function createActivity(options: {logger: Logger; metrics: ListenerMetrics; clock?: () => number}): Activity {
	const {logger, metrics} = options;
	const clock = options.clock ?? Date.now;
	const handlers = new Set<ListenerEventHandler>();
	const counters = zeroCounters();

	const report: Report = partial => {
		const event: ListenerEvent = {...partial, at: new Date(clock()).toISOString()};
		counters[event.outcome] += 1;
		metrics.outcome(event.outcome);
		const level = event.outcome === 'failed' ? 'warn' : 'info';
		logger[level]({eventId: event.eventId, outcome: event.outcome, source: event.source, reason: event.reason, status: event.status, durationMs: event.durationMs}, `delivery ${event.outcome}`);
		for (const handler of handlers) {
			try {
				handler(event);
			} catch {
				// A watcher's bug must not stop the listener.
			}
		}
	};

	return {
		report,
		finished(event, plan) {
			if (!plan) return report({outcome: 'ignored', eventId: event.messageId, reason: 'self', source: event.source});
			const durationMs = clock() - event.receivedAt;
			metrics.reply(plan.kind);
			metrics.replyLatency(durationMs / 1000);
			report({
				outcome: plan.kind === 'refusal' ? 'denied' : 'replied',
				eventId: event.messageId,
				source: event.source,
				accountIds: plan.accountIds,
				durationMs,
				...(plan.requesterEmail && {requesterEmail: plan.requesterEmail}),
			});
		},
		failed(event, outcome) {
			report({outcome: 'failed', eventId: event.messageId, source: event.source, reason: outcome.reason, ...(outcome.status !== undefined && {status: outcome.status}), ...(event.personEmail && {requesterEmail: event.personEmail})});
		},
		retried(event, reason, delayMs) {
			metrics.eventRetry(reason);
			logger.warn({eventId: event.messageId, outcome: 'retry', reason, delayMs, attempts: event.attempts}, 'will try again');
		},
		counters: () => ({...counters}),
		onEvent(handler) {
			handlers.add(handler);
			return () => handlers.delete(handler);
		},
	};
}
