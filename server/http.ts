// The listener's HTTP(S) server: three operational endpoints of its own, and
// whatever routes its sources mount (the webhook's POST). Health answers say
// only "ok" or "not ready": no bot identity, version, database or
// configuration, since the port faces the internet.
import {once} from 'node:events';
import {readFileSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import Router from '@koa/router';
import Koa, {type Middleware} from 'koa';
import type {ListenerMetrics} from './metrics.js';

export interface HttpOptions {
	port: number;
	host: string;
	tlsCert?: string;
	tlsKey?: string;
	/** True when the token was accepted at start and the database answers now. */
	isReady(): Promise<boolean>;
	metrics: ListenerMetrics;
	onError?(error: unknown): void;
}

export interface ListenerHttp {
	/** Where it listens locally, e.g. http://127.0.0.1:5000 (an unspecified address shown as 127.0.0.1). */
	readonly url: string;
	/** Adds a source's routes, after the operational endpoints. */
	mount(middleware: Middleware): void;
	/** Stops accepting connections and closes idle ones; requests in progress finish. */
	stopAccepting(): void;
	/** Closes every connection left. */
	closeAll(): void;
}

export async function startHttp(options: HttpOptions): Promise<ListenerHttp> {
	const app = new Koa();
	// Errors are logged by the listener without request details (they may carry secrets).
	app.silent = true;
	if (options.onError) app.on('error', options.onError);

	const router = new Router();
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

	// Sources mount while the server already listens (the webhook needs its real port first).
	const mounted: Middleware[] = [];
	app.use(async (ctx, next) => {
		const dispatch = async (index: number): Promise<void> => {
			const middleware = mounted[index];
			if (!middleware) return next();
			await middleware(ctx, () => dispatch(index + 1));
		};
		await dispatch(0);
	});

	const tls = options.tlsCert && options.tlsKey ? {cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey)} : undefined;
	const server = tls ? https.createServer(tls, app.callback()) : http.createServer(app.callback());
	server.listen(options.port, options.host);
	await Promise.race([
		once(server, 'listening'),
		once(server, 'error').then(([error]) => {
			throw new Error(`cannot listen on ${options.host}:${options.port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
		}),
	]);
	return {
		url: localUrl(server.address() as AddressInfo, tls ? 'https' : 'http'),
		mount: middleware => mounted.push(middleware),
		stopAccepting() {
			server.close();
			server.closeIdleConnections();
		},
		closeAll: () => server.closeAllConnections(),
	};
}

function localUrl(address: AddressInfo, protocol: 'http' | 'https'): string {
	const unspecified = address.address === '0.0.0.0' || address.address === '::';
	const host = unspecified ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
	return `${protocol}://${host}:${address.port}`;
}
