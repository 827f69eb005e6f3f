// Keeps the inbox from growing without bound: finished events are forgotten
// after GLOBOBOT_RETENTION (default 30 days), at start and then hourly.
// Never less than a day: a finished event is what makes a late redelivery or
// catch-up of the same message a duplicate rather than a second answer.
import type {Logger} from './logger.js';
import {errorSummary} from './outcome.js';
import type {Inbox} from './store/inbox.js';

export const defaultRetentionMs = 30 * 86_400_000;
export const minimumRetentionMs = 86_400_000;

export interface Retention {
	stop(): void;
}

export function startRetention(options: {inbox: Inbox; retentionMs?: number; everyMs?: number; logger: Logger}): Retention {
	const retentionMs = Math.max(minimumRetentionMs, options.retentionMs ?? defaultRetentionMs);
	const prune = async () => {
		try {
			const removed = await options.inbox.prune(retentionMs);
			if (removed.events + removed.replies > 0) options.logger.info({outcome: 'pruned', ...removed, retentionMs}, 'forgot finished events');
		} catch (error) {
			options.logger.warn({outcome: 'prune-failed', err: errorSummary(error)}, 'could not prune the inbox');
		}
	};
	void prune();
	const timer = setInterval(() => void prune(), options.everyMs ?? 3_600_000);
	timer.unref();
	return {stop: () => clearInterval(timer)};
}
