// The webhook event source: Webex POSTs a signed envelope to PUBLIC_URL +
// WEBHOOK_PATH on the listener's HTTP server. Its secrets, its path and its
// public URL are its own; what it hears becomes accept(delivery).
import Router from '@koa/router';
import type {Middleware} from 'koa';
import {ConfigError, webhookTargetUrl, type Config} from '../../../source/config.js';
import type {SourceContext, SourceFactory} from '../context.js';
import type {Accept, EventSource, SourceStatus} from '../source.js';
import {deliverySteps} from './steps.js';

export type WebhookConfig = Pick<Config, 'webhookPath' | 'webhookSecrets' | 'allowUnsigned' | 'secretFile' | 'port' | 'publicUrl'>;

/** Deliveries must be verifiable: a secret, or an explicit --allow-unsigned. One line naming the setting. */
export function checkWebhookConfig(config: WebhookConfig): void {
	if (config.webhookSecrets.length === 0 && !config.allowUnsigned) {
		throw new ConfigError(`no WEBHOOK_SECRET set (nor in ${config.secretFile}): set one, or pass --allow-unsigned to accept unsigned deliveries`);
	}
}

/** PUBLIC_URL + WEBHOOK_PATH; when PUBLIC_URL was left to its default and the port was chosen by the system, the real port. */
function publicTargetUrl(config: WebhookConfig, localUrl: string): string {
	if (config.port === 0 && /:0$/.test(config.publicUrl)) return localUrl + config.webhookPath;
	return webhookTargetUrl(config);
}

export function webhookSource(config: WebhookConfig): SourceFactory {
	return context => createWebhookSource(config, context);
}

export function createWebhookSource(config: WebhookConfig, context: SourceContext): EventSource {
	const targetUrl = publicTargetUrl(config, context.http.url);
	let live = false;
	return {
		kind: 'webhook',
		async start(accept: Accept) {
			const router = new Router();
			const steps = deliverySteps({
				secrets: config.webhookSecrets,
				allowUnsigned: config.allowUnsigned,
				botId: context.bot.id,
				// Once stopped, a delivery is refused rather than recorded by a closing listener: Webex keeps it for the next.
				accept: async delivery => (live ? accept(delivery) : 'unavailable'),
				report: context.report,
				observeAnswer: seconds => context.metrics.deliveryLatency(seconds),
			});
			router.post(config.webhookPath, ...steps);
			// The router's context type is a superset of Koa's; it adds what it needs itself.
			context.http.mount(router.routes() as unknown as Middleware);
			context.http.mount(router.allowedMethods() as unknown as Middleware);
			live = true;
		},
		async stop() {
			live = false;
		},
		status(): SourceStatus {
			return {kind: 'webhook', summary: `webhook ${targetUrl}`, live, targetUrl, localUrl: context.http.url};
		},
	};
}
