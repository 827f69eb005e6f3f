// Prometheus metrics for one listener, in a registry of its own so two
// listeners in one process (tests, the TUI) never share counters.
import {Counter, Gauge, Histogram, Registry, collectDefaultMetrics} from 'prom-client';
import type {ListenerOutcome} from './events.js';
import type {WebexClientObserver} from '../source/webex/types.js';

export interface ListenerMetrics {
	readonly registry: Registry;
	/** Each delivery's and event's outcome, as the TUI sees them. */
	outcome(outcome: ListenerOutcome): void;
	reply(kind: string): void;
	/** An event given back to the inbox to try later (after the client's own retries). */
	eventRetry(reason: string): void;
	/** Time from a delivery's arrival to its reply being accepted by Webex. */
	replyLatency(seconds: number): void;
	/** Time to answer Webex's POST. */
	deliveryLatency(seconds: number): void;
	/** Feeds the Webex client's observations into the counters. */
	readonly webexObserver: WebexClientObserver;
	/** One account looked up in a live CRM: how long, and what came of it (found, unknown, unavailable, timeout, invalid-data). */
	crmLookup(seconds: number, outcome: string): void;
	/** Questions catch-up found after downtime, by what the inbox said (received, duplicate, unavailable), and failed passes (error). */
	catchUp(outcome: string, count: number): void;
	/** A requester refused for being over a limit (GLOBOBOT_LIMIT_*). */
	throttled(limit: 'lookups' | 'misses'): void;
	/** Reads the inbox depth when scraped. */
	setDepthSource(read: () => Promise<number>): void;
	/** The webhook watchdog's last count of the bot's webhooks by status, and the ones it reactivated. */
	webhooks(counts: {active: number; inactive: number}): void;
	webhooksReactivated(count: number): void;
	render(): Promise<string>;
	readonly contentType: string;
}

// A path's ids are opaque and unbounded: only the resource name becomes a label.
const resourceOf = (path: string) => path.split('?')[0]?.split('/').find(Boolean) ?? 'unknown';

export function createListenerMetrics(): ListenerMetrics {
	const registry = new Registry();
	collectDefaultMetrics({register: registry, prefix: 'globobot_'});
	const deliveries = new Counter({name: 'globobot_deliveries_total', help: 'Deliveries and events by outcome', labelNames: ['outcome'], registers: [registry]});
	const replies = new Counter({name: 'globobot_replies_total', help: 'Replies sent, by kind (balances, help, refusal)', labelNames: ['kind'], registers: [registry]});
	const webexErrors = new Counter({name: 'globobot_webex_api_errors_total', help: 'Webex API answers that were not 2xx (0: no answer), by status', labelNames: ['status', 'resource'], registers: [registry]});
	const webexRetries = new Counter({name: 'globobot_webex_retries_total', help: 'Webex requests retried by the client, by status', labelNames: ['status'], registers: [registry]});
	const eventRetries = new Counter({name: 'globobot_event_retries_total', help: 'Events put back in the inbox to be tried later', labelNames: ['reason'], registers: [registry]});
	const webexLatency = new Histogram({name: 'globobot_webex_request_duration_seconds', help: 'Webex API request duration', labelNames: ['method', 'resource'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry]});
	const replyLatency = new Histogram({name: 'globobot_reply_latency_seconds', help: 'From delivery to reply accepted by Webex', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry]});
	const deliveryLatency = new Histogram({name: 'globobot_delivery_response_seconds', help: 'Time to answer a webhook delivery', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry]});
	const webhooks = new Gauge({name: 'globobot_webhooks', help: "The bot's webhooks by status, at the watchdog's last check", labelNames: ['status'], registers: [registry]});
	const reactivations = new Counter({name: 'globobot_webhook_reactivations_total', help: "Webhooks of this listener's target the watchdog set active again", registers: [registry]});
	const throttled = new Counter({name: 'globobot_throttled_total', help: 'Questions refused because the requester was over a limit', labelNames: ['limit'], registers: [registry]});
	for (const limit of ['lookups', 'misses']) throttled.inc({limit}, 0);
	const caughtUp = new Counter({name: 'globobot_catch_up_total', help: 'Catch-up: questions found after downtime by what the inbox said, and failed passes (error)', labelNames: ['outcome'], registers: [registry]});
	const crmLatency = new Histogram({name: 'globobot_crm_lookup_seconds', help: 'Account lookups in the CRM, by outcome', labelNames: ['outcome'], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5], registers: [registry]});
	const crmErrors = new Counter({name: 'globobot_crm_lookup_errors_total', help: 'Account lookups the CRM could not answer, by kind', labelNames: ['kind'], registers: [registry]});
	let readDepth: (() => Promise<number>) | undefined;
	new Gauge({
		name: 'globobot_inbox_depth',
		help: 'Events recorded but not yet done or failed',
		registers: [registry],
		async collect() {
			if (readDepth) this.set(await readDepth().catch(() => Number.NaN));
		},
	});
	return {
		registry,
		outcome: outcome => deliveries.inc({outcome}),
		reply: kind => replies.inc({kind}),
		eventRetry: reason => eventRetries.inc({reason}),
		throttled: limit => throttled.inc({limit}),
		catchUp: (outcome, count) => caughtUp.inc({outcome}, count),
		crmLookup(seconds, outcome) {
			crmLatency.observe({outcome}, seconds);
			if (outcome !== 'found' && outcome !== 'unknown') crmErrors.inc({kind: outcome});
		},
		replyLatency: seconds => replyLatency.observe(seconds),
		deliveryLatency: seconds => deliveryLatency.observe(seconds),
		webexObserver: {
			onResponse({method, path, status, durationMs}) {
				const resource = resourceOf(path);
				webexLatency.observe({method, resource}, durationMs / 1000);
				if (status < 200 || status >= 300) webexErrors.inc({status: String(status), resource});
			},
			onRetry({status}) {
				webexRetries.inc({status: String(status)});
			},
		},
		setDepthSource(read) {
			readDepth = read;
		},
		webhooks(counts) {
			webhooks.set({status: 'active'}, counts.active);
			webhooks.set({status: 'inactive'}, counts.inactive);
		},
		webhooksReactivated: count => reactivations.inc(count),
		render: async () => registry.metrics(),
		contentType: registry.contentType,
	};
}
