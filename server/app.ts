// The HTTP face of the listener: the webhook target and three operational
// endpoints. Health answers say only "ok" or "not ready": no bot identity,
// version, database or configuration, since the port faces the internet.
import Koa from 'koa';
import Router from '@koa/router';
import type {Middleware} from 'koa';
import type {ListenerMetrics} from './metrics.js';

export interface AppOptions {
	webhookPath: string;
	/** The delivery pipeline's steps, in order (pipeline.ts). */
	deliverySteps: Middleware[];
	/** True when the token was accepted at start and the database answers now. */
	isReady(): Promise<boolean>;
	metrics: ListenerMetrics;
	onError?(error: unknown): void;
}

export function createApp(options: AppOptions): Koa {
	const app = new Koa();
	// Errors are logged by the listener without request details (they may carry secrets).
	app.silent = true;
	if (options.onError) app.on('error', options.onError);
	const router = new Router();

	router.post(options.webhookPath, ...options.deliverySteps);

	router.get('/healthz', ctx => {
		ctx.body = {status: 'ok'};
	});

	router.get('/readyz', async ctx => {
		const ready = await options.isReady().catch(() => false);
		ctx.status = ready ? 200 : 503;
		ctx.body = {status: ready ? 'ready' : 'not ready'};
	});

	router.get('/metrics', async ctx => {
		ctx.type = options.metrics.contentType;
		ctx.body = await options.metrics.render();
	});

	app.use(router.routes());
	app.use(router.allowedMethods());
	return app;
}
