// The webhook watchdog: Webex auto-disables a webhook after a listener outage
// (webex-api.md §1.6), and the bot then goes silent until someone notices. Every
// GLOBOBOT_WEBHOOK_CHECK it lists the bot's webhooks and reactivates the
// inactive ones that target THIS listener, so catch-up can fill the gap.
// Webhooks that target anything else belong to someone else: never touched.
import {WebexError} from '../source/webex/errors.js';
import type {Webhook, WebexClient} from '../source/webex/types.js';

/** What one check found and did; every field is safe to log (ids and counts, no secrets). */
export interface WatchdogReport {
	/** Webhooks per status, for the globobot_webhooks{status} gauge. */
	counts: {active: number; inactive: number};
	/** Ours (target = this listener) that were inactive and are active again. */
	reactivated: string[];
	/** Ours that could not be reactivated (Webex refused or failed). */
	failed: {id: string; reason: string}[];
	warnings: WatchdogWarning[];
}

export type WatchdogWarning =
	| {kind: 'no-webhook'; targetUrl: string}
	| {kind: 'duplicate-delivery'; ids: string[]};

/** Whether a webhook would tell the bot about new messages. */
const coversMessages = (webhook: Webhook) => (webhook.resource === 'messages' || webhook.resource === 'all') && (webhook.event === 'created' || webhook.event === 'all');

/** One pass: list, reactivate our inactive webhooks, and say what looks wrong. */
export async function checkWebhooks(webex: WebexClient, targetUrl: string): Promise<WatchdogReport> {
	const webhooks: Webhook[] = [];
	for await (const webhook of webex.webhooks.list()) webhooks.push(webhook);
	const report: WatchdogReport = {counts: {active: 0, inactive: 0}, reactivated: [], failed: [], warnings: []};
	const ours = webhooks.filter(webhook => webhook.targetUrl === targetUrl);
	for (const webhook of webhooks) {
		if (webhook.status !== 'inactive' || webhook.targetUrl !== targetUrl) {
			report.counts[webhook.status === 'inactive' ? 'inactive' : 'active'] += 1;
			continue;
		}
		try {
			await webex.webhooks.update(webhook.id, {name: webhook.name, targetUrl: webhook.targetUrl, status: 'active'});
			report.reactivated.push(webhook.id);
			report.counts.active += 1;
		} catch (error) {
			report.failed.push({id: webhook.id, reason: error instanceof WebexError ? error.code : 'error'});
			report.counts.inactive += 1;
		}
	}
	if (!ours.some(coversMessages)) report.warnings.push({kind: 'no-webhook', targetUrl});
	// Two webhooks for the same messages to this listener: each message arrives twice. The inbox
	// deduplicates, so nobody is answered twice, but it is a misconfiguration worth a warning.
	const live = ours.filter(webhook => coversMessages(webhook) && webhook.status === 'active');
	const overlaps = (a: Webhook, b: Webhook) => !a.filter || !b.filter || a.filter === b.filter;
	const overlapping = live.filter(webhook => live.some(other => other !== webhook && overlaps(webhook, other)));
	if (overlapping.length > 1) report.warnings.push({kind: 'duplicate-delivery', ids: overlapping.map(webhook => webhook.id).sort()});
	return report;
}

export interface WatchdogOptions {
	webex: WebexClient;
	targetUrl: string;
	/** GLOBOBOT_WEBHOOK_CHECK; 0 turns the watchdog off. */
	intervalMs: number;
	onReport(report: WatchdogReport): void;
	/** A check that could not list the webhooks (Webex down): tried again at the next interval. */
	onError(error: unknown): void;
}

export interface Watchdog {
	/** Runs one check now (also the first, at start). */
	check(): Promise<WatchdogReport | undefined>;
	stop(): void;
	/** The last report, for the TUI's health panel. */
	readonly last: WatchdogReport | undefined;
}

export function startWatchdog(options: WatchdogOptions): Watchdog {
	let last: WatchdogReport | undefined;
	let running: Promise<WatchdogReport | undefined> | undefined;
	const check = () => {
		running ??= checkWebhooks(options.webex, options.targetUrl)
			.then(report => {
				last = report;
				options.onReport(report);
				return report;
			})
			.catch(error => {
				options.onError(error);
				return undefined;
			})
			.finally(() => {
				running = undefined;
			});
		return running;
	};
	const timer = options.intervalMs > 0 ? setInterval(() => void check(), options.intervalMs) : undefined;
	timer?.unref();
	if (options.intervalMs > 0) void check();
	return {
		check,
		stop() {
			clearInterval(timer);
		},
		get last() {
			return last;
		},
	};
}
