// The listener's activity: every outcome is counted, logged, measured and
// told to watchers (the TUI's activity pane) in one place. Never message text,
// balances, tokens or secrets.
import type {ListenerCounters, ListenerEvent, ListenerEventHandler, ListenerOutcome} from './events.js';
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

const messages: Record<ListenerOutcome, string> = {received: 'delivery received', duplicate: 'delivery duplicate', ignored: 'delivery ignored', rejected: 'delivery rejected', replied: 'delivery replied', denied: 'delivery denied', failed: 'delivery failed'};

const zeroCounters = (): ListenerCounters => ({received: 0, replied: 0, rejected: 0, denied: 0, failed: 0, duplicate: 0, ignored: 0});

export function createActivity(options: {logger: Logger; metrics: ListenerMetrics; clock?: () => number}): Activity {
	const {logger, metrics} = options;
	const clock = options.clock ?? Date.now;
	const handlers = new Set<ListenerEventHandler>();
	const counters = zeroCounters();

	// Twice per question on the hot path: no date, event object or log record is built that nobody reads.
	const report: Report = partial => {
		counters[partial.outcome] += 1;
		metrics.outcome(partial.outcome);
		const level = partial.outcome === 'failed' ? 'warn' : 'info';
		if (logger.isLevelEnabled(level)) logger[level]({eventId: partial.eventId, outcome: partial.outcome, source: partial.source, reason: partial.reason, status: partial.status, durationMs: partial.durationMs}, messages[partial.outcome]);
		if (handlers.size === 0) return;
		const event: ListenerEvent = {...partial, at: new Date(clock()).toISOString()};
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
