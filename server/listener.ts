// Starts and stops a listener, headless (serve) or embedded (the TUI): checks
// the configuration, asks Webex who the bot is, opens the database, serves
// HTTP(S), runs the worker, and tells watchers what happens.
import {once} from 'node:events';
import {readFileSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import {ConfigError, webhookTargetUrl, type Config} from '../source/config.js';
import {openDatabase} from '../source/crm/database.js';
import type {Database} from '../source/crm/types.js';
import {createWebexClient} from '../source/webex/client.js';
import {WebexError} from '../source/webex/errors.js';
import type {WebexClient} from '../source/webex/types.js';
import {createApp} from './app.js';
import type {ListenerCounters, ListenerEvent, ListenerEventHandler, ListenerHandle} from './events.js';
import {createInbox, type InboxEvent, type ReplyPlan} from './inbox.js';
import {createLogger, type Logger} from './logger.js';
import {createListenerMetrics} from './metrics.js';
import {deliverySteps, errorSummary, handleEvent, type Bot, type PipelineContext} from './pipeline.js';
import {createWorker} from './worker.js';

export interface ListenerDeps {
	/** For reads and sends; default: a client for config.webexApiUrl with WEBEX_TOKEN. */
	webex?: WebexClient;
	/** For sends only; default: `webex` when given, else a client that retries nothing itself (see below). */
	sender?: WebexClient;
	/** An open database; it is left open at close. Default: opens config.databaseUrl and closes it at close. */
	database?: Database;
	logger?: Logger;
	/** How long a claimed event is held without renewal. Default 30 s. */
	leaseMs?: number;
	/** How often the inbox is checked besides wake-ups. Default 2 s. */
	pollMs?: number;
	/** How long close() waits for replies in flight. Default 10 s. */
	closeDeadlineMs?: number;
	/** The timeout of one POST /messages. Default 10 s. An event whose POST may still be in flight is not taken over before it (plus a margin) has passed. */
	sendTimeoutMs?: number;
}

const zeroCounters = (): ListenerCounters => ({received: 0, replied: 0, rejected: 0, denied: 0, failed: 0, duplicate: 0, ignored: 0});

/** Validates what a listener cannot run without; a ConfigError's message is one line naming the setting. */
export function checkListenerConfig(config: Config, deps: ListenerDeps = {}): void {
	if (!deps.webex && !config.webexToken) throw new ConfigError('WEBEX_TOKEN is not set: export the bot\'s access token (WT_API_TOKEN is accepted too)');
	if (config.webhookSecrets.length === 0 && !config.allowUnsigned) {
		throw new ConfigError(`no WEBHOOK_SECRET set (nor in ${config.secretFile}): set one, or pass --allow-unsigned to accept unsigned deliveries`);
	}
}

export async function startListener(config: Config, deps: ListenerDeps = {}): Promise<ListenerHandle> {
	checkListenerConfig(config, deps);
	const logger = deps.logger ?? createLogger({level: config.logLevel});
	const metrics = createListenerMetrics();
	const shutdown = new AbortController();
	const clientOptions = {baseUrl: config.webexApiUrl, token: config.webexToken ?? '', maxRetryAfterMs: config.maxRetryAfterMs, observer: metrics.webexObserver, signal: shutdown.signal};
	const webex = deps.webex ?? createWebexClient(clientOptions);
	// A POST that timed out or got a 5xx may still have been applied. The client
	// would send it again blindly; the worker instead puts the event back as
	// `sending`, and the next attempt looks for the reply before posting again.
	const sendTimeoutMs = deps.sendTimeoutMs ?? 10_000;
	const sender = deps.sender ?? deps.webex ?? createWebexClient({...clientOptions, retries: 0, timeoutMs: sendTimeoutMs});

	const bot = await whoAmI(webex);
	const ownsDatabase = !deps.database;
	const database = deps.database ?? (await openDatabase(config.databaseUrl));
	try {
		return await serve(config, {logger, metrics, shutdown, webex, sender, sendWindowMs: sendTimeoutMs + Math.max(1000, sendTimeoutMs / 2), bot, database, ownsDatabase, deps});
	} catch (error) {
		shutdown.abort();
		if (ownsDatabase) await database.close().catch(() => undefined);
		throw error;
	}
}

/** people/me once: the bot's id (to ignore itself) and name (to strip its mention). */
async function whoAmI(webex: WebexClient): Promise<Bot> {
	try {
		const me = await webex.people.me();
		return {id: me.id, displayName: me.displayName, email: me.emails[0] ?? ''};
	} catch (error) {
		if (error instanceof WebexError && (error.status === 401 || error.status === 403)) {
			throw new ConfigError(`WEBEX_TOKEN was rejected by Webex (${error.status}): check the bot's access token`);
		}
		if (error instanceof WebexError) throw new Error(`cannot ask Webex who the bot is: ${error.status === 0 ? `no answer from ${webex.baseUrl}` : `${error.status} ${error.webexMessage}`}`);
		throw error;
	}
}

interface Parts {
	logger: Logger;
	metrics: ReturnType<typeof createListenerMetrics>;
	shutdown: AbortController;
	webex: WebexClient;
	sender: WebexClient;
	sendWindowMs: number;
	bot: Bot;
	database: Database;
	ownsDatabase: boolean;
	deps: ListenerDeps;
}

async function serve(config: Config, parts: Parts): Promise<ListenerHandle> {
	const {logger, metrics, bot, database, deps} = parts;
	const inbox = createInbox(database);
	const handlers = new Set<ListenerEventHandler>();
	const counters = zeroCounters();

	const emit = (partial: Omit<ListenerEvent, 'at'>) => {
		const event: ListenerEvent = {...partial, at: new Date().toISOString()};
		counters[event.outcome] += 1;
		metrics.outcome(event.outcome);
		const level = event.outcome === 'failed' ? 'warn' : 'info';
		logger[level]({eventId: event.eventId, outcome: event.outcome, reason: event.reason, status: event.status, durationMs: event.durationMs}, `delivery ${event.outcome}`);
		for (const handler of handlers) {
			try {
				handler(event);
			} catch {
				// A watcher's bug must not stop the listener.
			}
		}
	};

	let worker: ReturnType<typeof createWorker> | undefined;
	const context: PipelineContext = {
		bot,
		inbox,
		accounts: database.accounts,
		webex: parts.webex,
		sender: parts.sender,
		sendWindowMs: parts.sendWindowMs,
		secrets: config.webhookSecrets,
		allowUnsigned: config.allowUnsigned,
		allow: config.allow,
		groupReply: config.groupReply,
		accountPattern: config.accountPattern,
		emit,
		metrics,
		logger,
		wake: () => worker?.wake(),
	};

	worker = createWorker({
		inbox,
		concurrency: config.concurrency,
		leaseMs: deps.leaseMs ?? 30_000,
		pollMs: deps.pollMs ?? 2000,
		logger,
		handle: (event, owner) => handleEvent(event, owner, context),
		onFinished: (event, plan) => finished(event, plan),
		onFailed(event, outcome) {
			emit({outcome: 'failed', eventId: event.messageId, reason: outcome.reason, ...(outcome.status !== undefined && {status: outcome.status}), ...(event.personEmail && {requesterEmail: event.personEmail})});
		},
		onRetry(event, reason, delayMs) {
			metrics.eventRetry(reason);
			logger.warn({eventId: event.messageId, outcome: 'retry', reason, delayMs, attempts: event.attempts}, 'will try again');
		},
	});

	function finished(event: InboxEvent, plan: ReplyPlan | undefined) {
		if (!plan) return emit({outcome: 'ignored', eventId: event.messageId, reason: 'self'});
		const durationMs = Date.now() - event.receivedAt;
		metrics.reply(plan.kind);
		metrics.replyLatency(durationMs / 1000);
		emit({
			outcome: plan.kind === 'refusal' ? 'denied' : 'replied',
			eventId: event.messageId,
			accountIds: plan.accountIds,
			durationMs,
			...(plan.requesterEmail && {requesterEmail: plan.requesterEmail}),
		});
	}

	metrics.setDepthSource(() => inbox.depth());
	const app = createApp({
		webhookPath: config.webhookPath,
		deliverySteps: deliverySteps(context),
		metrics,
		isReady: async () => {
			await database.ping();
			return true;
		},
		onError: error => logger.error({outcome: 'http-error', err: errorSummary(error)}, 'request failed'),
	});

	const tls = config.tlsCert && config.tlsKey ? {cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey)} : undefined;
	const server = tls ? https.createServer(tls, app.callback()) : http.createServer(app.callback());
	server.listen(config.port, config.host);
	await Promise.race([
		once(server, 'listening'),
		once(server, 'error').then(([error]) => {
			throw new Error(`cannot listen on ${config.host}:${config.port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
		}),
	]);
	const url = localUrl(server.address() as AddressInfo, tls ? 'https' : 'http');
	const targetUrl = publicTargetUrl(config, url);
	worker.start();
	logger.info({outcome: 'listening', url, targetUrl}, 'listener started');

	let closing: Promise<void> | undefined;
	const close = async () => {
		server.close();
		server.closeIdleConnections();
		await worker.stop(deps.closeDeadlineMs ?? 10_000);
		// Whatever is still waiting (a long Retry-After) stays leased in the inbox and is retried by the next start.
		parts.shutdown.abort();
		await worker.stop(1000);
		server.closeAllConnections();
		if (parts.ownsDatabase) await database.close();
		logger.info({outcome: 'stopped'}, 'listener stopped');
	};

	return {
		url,
		targetUrl,
		sources: () => [{kind: 'webhook', summary: `webhook ${targetUrl}`, live: true, targetUrl, localUrl: url}],
		bot,
		counters: () => ({...counters}),
		onEvent(handler) {
			handlers.add(handler);
			return () => handlers.delete(handler);
		},
		close() {
			closing ??= close();
			return closing;
		},
	};
}

function localUrl(address: AddressInfo, protocol: 'http' | 'https'): string {
	const unspecified = address.address === '0.0.0.0' || address.address === '::';
	const host = unspecified ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
	return `${protocol}://${host}:${address.port}`;
}

/** PUBLIC_URL + WEBHOOK_PATH; when PUBLIC_URL was left to its default and the port was chosen by the system, the real port. */
function publicTargetUrl(config: Config, url: string): string {
	if (config.port === 0 && /:0$/.test(config.publicUrl)) return url + config.webhookPath;
	return webhookTargetUrl(config);
}
