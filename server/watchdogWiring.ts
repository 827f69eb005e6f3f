// The webhook watchdog (watchdog.ts) inside a running listener: every
// GLOBOBOT_WEBHOOK_CHECK it checks the bot's webhooks against this listener's
// target, and its findings become warning log lines, the globobot_webhooks
// gauge and the reactivation counter. After a reactivation, whatever Webex
// did not deliver meanwhile is the catch-up source's to fetch: the listener
// passes its trigger as `catchUp` (absent when no catch-up source runs).
import type {WebexClient} from '../source/webex/types.js';
import type {Logger} from './logger.js';
import type {ListenerMetrics} from './metrics.js';
import {errorSummary} from './outcome.js';
import {startWatchdog, type Watchdog, type WatchdogReport} from './watchdog.js';

export interface WatchdogWiring {
	webex: WebexClient;
	targetUrl: string;
	intervalMs: number;
	metrics: ListenerMetrics;
	logger: Logger;
	/** Asks the catch-up source for a pass (it reads what was asked while the webhook was off). */
	catchUp?: (reason: string) => void;
}

/** What the health panel and the listener heartbeat show of the watchdog. */
export interface WatchdogStatus {
	intervalMs: number;
	/** ISO time of the last completed check. */
	checkedAt?: string;
	counts?: WatchdogReport['counts'];
	/** Reactivated since the listener started. */
	reactivated: number;
	warnings: string[];
	/** The last check could not list the webhooks. */
	error?: string;
}

export interface RunningWatchdog {
	stop(): void;
	status(): WatchdogStatus;
	check(): Promise<WatchdogReport | undefined>;
}

/** One line per warning, for logs and the health panel. */
export function warningText(warning: WatchdogReport['warnings'][number]): string {
	return warning.kind === 'no-webhook' ? `no active webhook delivers messages to ${warning.targetUrl}` : `webhooks ${warning.ids.join(', ')} would each deliver the same message`;
}

export function wireWatchdog(options: WatchdogWiring): RunningWatchdog {
	const {logger, metrics} = options;
	const status: WatchdogStatus = {intervalMs: options.intervalMs, reactivated: 0, warnings: []};
	const watchdog: Watchdog = startWatchdog({
		webex: options.webex,
		targetUrl: options.targetUrl,
		intervalMs: options.intervalMs,
		onReport(report) {
			metrics.webhooks(report.counts);
			status.checkedAt = new Date().toISOString();
			status.counts = report.counts;
			status.warnings = report.warnings.map(warningText);
			delete status.error;
			for (const id of report.reactivated) {
				logger.warn({outcome: 'webhook-reactivated', webhookId: id, targetUrl: options.targetUrl}, 'webhook was inactive (Webex disables it after failed deliveries): reactivated it');
			}
			for (const failure of report.failed) {
				logger.warn({outcome: 'webhook-reactivation-failed', webhookId: failure.id, reason: failure.reason}, 'webhook is inactive and could not be reactivated');
			}
			for (const warning of report.warnings) logger.warn({outcome: `webhook-${warning.kind}`, ...warning}, warningText(warning));
			if (report.reactivated.length > 0) {
				status.reactivated += report.reactivated.length;
				metrics.webhooksReactivated(report.reactivated.length);
				options.catchUp?.('webhook-reactivated');
			}
		},
		onError(error) {
			status.error = errorSummary(error);
			logger.warn({outcome: 'webhook-check-failed', err: errorSummary(error)}, 'could not list the webhooks; trying again at the next check');
		},
	});
	return {
		stop: () => watchdog.stop(),
		status: () => ({...status, warnings: [...status.warnings], ...(status.counts && {counts: {...status.counts}})}),
		check: () => watchdog.check(),
	};
}

