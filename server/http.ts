// The listener's HTTP(S) server: three operational endpoints of its own, and
// whatever routes its sources mount (the webhook's POST). Health answers say
// only "ok" or "not ready": no bot identity, version, database or
// configuration, since the port faces the internet.
import {once} from 'node:events';
import {readFileSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type {AddressInfo, Socket} from 'node:net';
import {timingSafeEqual} from 'node:crypto';
import Router from '@koa/router';
import Koa, {type Middleware} from 'koa';
import type {ListenerMetrics} from './metrics.js';

export interface HttpOptions {
	port: number;
	host: string;
	/** GLOBOBOT_MAX_CONNECTIONS: open connections at most; more are refused at once. */
	maxConnections?: number;
	/** Where /metrics answers instead of the public port (METRICS_ADDRESS); undefined: on the main port. */
	metricsAddress?: {host: string; port: number};
	/** METRICS_TOKEN: /metrics wants `Authorization: Bearer <token>`. */
	metricsToken?: string;
	/** One line a minute at most: how many connections were closed for being idle, slow or malformed. */
	onDroppedConnections?(count: number): void;
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
	/** The address really bound, for people: "0.0.0.0:5000 (every interface)", "127.0.0.1:5000". */
	readonly boundTo: string;
	/** Where /metrics answers, e.g. http://127.0.0.1:9464/metrics. */
	readonly metricsUrl: string;
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
	const metrics = metricsEndpoint(options);
	if (!options.metricsAddress) router.get('/metrics', metrics);
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
	// Node checks the header and request deadlines every connectionsCheckingInterval.
	const server = tls ? https.createServer({...tls, connectionsCheckingInterval: 1000}, app.callback()) : http.createServer({connectionsCheckingInterval: 1000}, app.callback());
	const dropped = guardConnections(server, options);
	await listen(server, options.host, options.port);
	const metricsServer = options.metricsAddress ? http.createServer(metricsOnly(metrics)) : undefined;
	if (metricsServer && options.metricsAddress) {
		guardConnections(metricsServer, {});
		try {
			await listen(metricsServer, options.metricsAddress.host, options.metricsAddress.port, 'METRICS_ADDRESS');
		} catch (error) {
			server.close();
			throw error;
		}
	}
	const url = localUrl(server.address() as AddressInfo, tls ? 'https' : 'http');
	return {
		url,
		boundTo: boundTo(server.address() as AddressInfo),
		metricsUrl: `${metricsServer ? localUrl(metricsServer.address() as AddressInfo, 'http') : url}/metrics`,
		mount: middleware => mounted.push(middleware),
		stopAccepting() {
			server.close();
			server.closeIdleConnections();
			metricsServer?.close();
			clearInterval(dropped);
		},
		closeAll() {
			server.closeAllConnections();
			metricsServer?.closeAllConnections();
		},
	};
}

async function listen(server: http.Server, host: string, port: number, setting = 'HOST/PORT'): Promise<void> {
	server.listen(port, host);
	await Promise.race([
		once(server, 'listening'),
		once(server, 'error').then(([error]) => {
			throw new Error(`cannot listen on ${host}:${port} (${setting}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
		}),
	]);
}

/**
 * The public port's defences against connection exhaustion: a connection that sends nothing, or trickles its
 * headers or body, is closed within 10 s (Node's defaults hold them for minutes); at most `maxConnections`
 * are open; and what was dropped is counted, not logged one line each (an attack would flood the log).
 */
function guardConnections(server: http.Server, options: Pick<HttpOptions, 'maxConnections' | 'onDroppedConnections'>): NodeJS.Timeout {
	server.headersTimeout = 10_000;
	server.requestTimeout = 10_000;
	server.keepAliveTimeout = 5000;
	// Inactivity on any socket, including one that never sent a byte: Node destroys it.
	server.timeout = 10_000;
	server.maxConnections = options.maxConnections ?? 512;
	let count = 0;
	server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
		count += 1;
		if (socket.writable && error.code !== 'ECONNRESET') socket.end(error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n' : 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else socket.destroy();
	});
	server.on('timeout', socket => {
		count += 1;
		socket.destroy();
	});
	server.on('drop', () => {
		count += 1;
	});
	// Node's header deadline is checked only as often as its connection sweep runs, which a busy process
	// stretches to tens of seconds; this one is exact: headers complete within 10 s of connecting, or closed.
	const untilHeaders = new WeakMap<object, NodeJS.Timeout>();
	server.on('connection', (socket: Socket) => {
		const timer = setTimeout(() => {
			count += 1;
			socket.destroy();
		}, 10_000);
		timer.unref();
		untilHeaders.set(socket, timer);
		socket.once('close', () => clearTimeout(timer));
	});
	server.on('request', (request: http.IncomingMessage) => clearTimeout(untilHeaders.get(request.socket)));
	const timer = setInterval(() => {
		if (count === 0) return;
		options.onDroppedConnections?.(count);
		count = 0;
	}, 60_000);
	timer.unref();
	return timer;
}

function metricsEndpoint(options: Pick<HttpOptions, 'metrics' | 'metricsToken'>): Middleware {
	const expected = options.metricsToken ? Buffer.from(`Bearer ${options.metricsToken}`) : undefined;
	return async ctx => {
		if (expected) {
			const given = Buffer.from(ctx.get('authorization'));
			if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
				ctx.status = 401;
				ctx.set('WWW-Authenticate', 'Bearer');
				ctx.body = {error: 'metrics need METRICS_TOKEN'};
				return;
			}
		}
		ctx.type = options.metrics.contentType;
		ctx.body = await options.metrics.render();
	};
}

/** The separate metrics server: /metrics and nothing else. */
function metricsOnly(endpoint: Middleware): http.RequestListener {
	const app = new Koa();
	app.silent = true;
	const router = new Router();
	router.get('/metrics', endpoint);
	app.use(router.routes());
	return app.callback();
}

function boundTo(address: AddressInfo): string {
	const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	const every = address.address === '0.0.0.0' || address.address === '::';
	return `${host}:${address.port}${every ? ' (every interface)' : ''}`;
}

function localUrl(address: AddressInfo, protocol: 'http' | 'https'): string {
	const unspecified = address.address === '0.0.0.0' || address.address === '::';
	const host = unspecified ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
	return `${protocol}://${host}:${address.port}`;
}
