// Starts and stops a listener, headless (serve) or embedded (the TUI). It only
// composes: event sources → accept → inbox → worker → replier, around one
// store and one HTTP server, and closes them in reverse. What each part does
// is in its own file.
import {ConfigError, type Config} from '../source/config.js';
import {openDatabase} from '../source/crm/database.js';
import type {AccountLookup} from '../source/crm/lookup.js';
import {openAccountSource} from '../source/crm/sources/index.js';
import type {Database} from '../source/crm/types.js';
import {migrateStore} from '../source/sql/migrate.js';
import {createWebexClient} from '../source/webex/client.js';
import type {WebexClient} from '../source/webex/types.js';
import {createActivity} from './activity.js';
import {whoAmI} from './bot.js';
import type {OnDecided, OnReplied} from './decision.js';
import type {ListenerHandle} from './events.js';
import {startHttp} from './http.js';
import {createLogger, type Logger} from './logger.js';
import {createListenerMetrics} from './metrics.js';
import {errorSummary} from './outcome.js';
import {grantsPolicy} from './policy/grants.js';
import {startRetention} from './retention.js';
import type {Policy} from './policy/policy.js';
import {sqlThrottle, type Throttle} from './policy/throttle.js';
import {createReplier} from './replier.js';
import {createAccept} from './sources/accept.js';
import {catchUpFromConfig} from './sources/catchUp/fromConfig.js';
import {bothObservers, createWebexClock} from './sources/catchUp/webexClock.js';
import type {SourceContext, SourceFactory} from './sources/context.js';
import type {Accept, EventSource} from './sources/source.js';
import {checkWebhookConfig, webhookSource} from './sources/webhook/webhook.js';
import {websocketSourceFromConfig} from './sources/websocket/fromConfig.js';
import {websocketObserver} from './sources/websocket/metrics.js';
import {createHeartbeats} from './store/heartbeats.js';
import {auditOnDecided, auditOnReplied, startAuditRetention} from './store/audit.js';
import {createInbox} from './store/inbox.js';
import {listenerMigrations} from './store/migrations/index.js';
import {createWorker} from './worker.js';
import {wireWatchdog} from './watchdogWiring.js';
import {lastWebexErrorObserver, policySummary, startHeartbeat} from './heartbeat.js';

export interface ListenerDeps {
	/** For reads and sends; default: a client for config.webexApiUrl with WEBEX_TOKEN. */
	webex?: WebexClient;
	/** For sends only; default: `webex` when given, else a client that retries nothing itself (see below). */
	sender?: WebexClient;
	/** An open database; it is left open at close. Default: opens config.databaseUrl and closes it at close. */
	database?: Database;
	/** Where balances come from; default: the database's embedded accounts. Left open at close (its maker closes it). */
	accounts?: AccountLookup;
	/** Who may see what; default: the stored grants plus GLOBOBOT_ALLOW as grants of `all`. */
	policy?: Policy;
	/** Per-requester limits; default: GLOBOBOT_LIMIT_LOOKUPS and GLOBOBOT_LIMIT_MISSES, counted in the store. */
	throttle?: Throttle;
	/** More event sources besides the webhook (catch-up, websocket): built ones, or factories given the listener's parts. */
	sources?: Array<EventSource | SourceFactory>;
	/** false: no webhook source (and no webhook secret needed). Default true. */
	webhook?: boolean;
	/** Called once per decision inside the transaction that saves its plan; default: the audit trail. */
	onDecided?: OnDecided;
	/** Called once per reply recorded, in its transaction; default: the audit trail's reply ids. */
	onReplied?: OnReplied;
	logger?: Logger;
	/** How long a claimed event is held without renewal. Default 30 s. */
	leaseMs?: number;
	/** How often the inbox is checked besides wake-ups. Default 1 s (a dead owner's events are found by it). */
	pollMs?: number;
	/** How often a worker's heartbeat is written. Default 1 s. */
	beatMs?: number;
	/** A worker silent this long is dead and its leases free. Default 3 s. */
	deadAfterMs?: number;
	/** How long close() waits for replies in flight. Default 10 s. */
	closeDeadlineMs?: number;
	/** The timeout of one POST /messages. Default 5 s. An event whose POST may still be in flight is neither retried nor taken over before it (plus half, at least 1 s) has passed: 7.5 s, inside the 10 s answer bound. */
	sendTimeoutMs?: number;
}

/** Validates what a listener cannot run without; a ConfigError's message is one line naming the setting. */
export function checkListenerConfig(config: Config, deps: ListenerDeps = {}): void {
	if (!deps.webex && !config.webexToken) throw new ConfigError('WEBEX_TOKEN is not set: export the bot\'s access token (WT_API_TOKEN is accepted too)');
	// The websocket needs no public URL and no webhook secret: Webex is reached outbound.
	if (deps.webhook !== false && config.events !== 'websocket') checkWebhookConfig(config);
}


/** CRM_URL's live source, when set: questions wait out its outages, so it opens even while unreachable. */
async function openCrm(config: Config, metrics: ReturnType<typeof createListenerMetrics>, logger: Logger, closers: Array<() => Promise<void> | void>): Promise<AccountLookup | undefined> {
	const source = await openAccountSource(config, {openWhileUnreachable: true, onLookup: (seconds, outcome) => metrics.crmLookup(seconds, outcome)});
	if (!source) return undefined;
	closers.push(() => source.close());
	for (const warning of source.warnings) logger.warn({outcome: 'crm-warning'}, warning);
	logger.info({outcome: 'crm', source: source.description}, 'answering from the CRM');
	return source;
}

export async function startListener(config: Config, deps: ListenerDeps = {}): Promise<ListenerHandle> {
	checkListenerConfig(config, deps);
	const logger = deps.logger ?? createLogger({level: config.logLevel});
	const metrics = createListenerMetrics();
	const shutdown = new AbortController();
	// Webex's own time, from its answers' Date headers: catch-up bounds its gap with it, not with ours.
	const webexClock = createWebexClock();
	// The last Webex error and its trackingId, for the heartbeat (issue 16).
	const webexErrors = lastWebexErrorObserver();
	// Each client keeps a pool of connections, one per reply that can be in flight (each makes one call at a time).
	const clientOptions = {baseUrl: config.webexApiUrl, token: config.webexToken ?? '', maxRetryAfterMs: config.maxRetryAfterMs, observer: bothObservers(bothObservers(metrics.webexObserver, webexClock.observer), webexErrors.observer), signal: shutdown.signal, maxSockets: Math.max(16, config.concurrency), ...(config.httpsProxy && {proxyUrl: config.httpsProxy}), ...(config.noProxy && {noProxy: config.noProxy})};
	const webex = deps.webex ?? createWebexClient(clientOptions);
	// A POST that timed out or got a 5xx may still have been applied. The client
	// would send it again blindly; the worker instead puts the event back as
	// `sending`, and the next attempt looks for the reply before posting again.
	const sendTimeoutMs = deps.sendTimeoutMs ?? config.sendTimeoutMs;
	const sender = deps.sender ?? deps.webex ?? createWebexClient({...clientOptions, retries: 0, timeoutMs: sendTimeoutMs});

	const bot = await whoAmI(webex);
	const database = deps.database ?? (await openDatabase(config.databaseUrl));
	// Closed in reverse order of opening, whatever got opened.
	const closers: Array<() => Promise<void> | void> = deps.database ? [] : [() => database.close()];
	const closeAll = async () => {
		for (const close of closers.reverse()) await close();
	};
	try {
		const store = database.store;
		const accounts = deps.accounts ?? (await openCrm(config, metrics, logger, closers)) ?? database.accounts;
		await migrateStore(store, listenerMigrations);
		const inbox = createInbox(store, Date.now, {deadAfterMs: deps.deadAfterMs ?? 3000});
		const heartbeats = createHeartbeats(store);
		// Owners silent for a day are long gone (their leases expired within 30 s).
		await heartbeats.forget(86_400_000);
		const activity = createActivity({logger, metrics});
		const policy = deps.policy ?? (await grantsPolicy(store, {allow: config.allow}));
		const throttle = deps.throttle ?? (await sqlThrottle(store, {lookups: config.limitLookups, misses: config.limitMisses, onThrottled: ({limit}) => metrics.throttled(limit)}));
		const replier = createReplier({
			bot,
			inbox,
			accounts,
			policy,
			throttle,
			reader: webex,
			sender,
			sendWindowMs: sendTimeoutMs + Math.max(1000, sendTimeoutMs / 2),
			groupReply: config.groupReply,
			accountPattern: config.accountPattern,
			crmMaxWaitMs: config.crmMaxWaitMs,
			// Every decision is audited in the transaction that saves it (server/store/audit.ts).
			onDecided: deps.onDecided ?? auditOnDecided,
			onReplied: deps.onReplied ?? auditOnReplied,
			logger,
		});
		const auditRetention = startAuditRetention(store, config.auditRetentionMs, {
			onPruned: pruned => logger.info({outcome: 'audit-pruned', removed: pruned.removed}, 'audit entries past GLOBOBOT_AUDIT_RETENTION pruned'),
			onError: error => logger.error({outcome: 'audit-prune-failed', err: errorSummary(error)}, 'audit prune failed'),
		});
		closers.push(() => auditRetention.stop());
		const worker = createWorker({
			inbox,
			concurrency: config.concurrency,
			leaseMs: deps.leaseMs ?? 30_000,
			pollMs: deps.pollMs ?? 1000,
			logger,
			handle: (event, owner) => replier.handle(event, owner),
			onFinished: activity.finished,
			onFailed: activity.failed,
			onRetry: activity.retried,
			heartbeats,
			beatMs: deps.beatMs ?? 1000,
		});
		metrics.setDepthSource(() => inbox.depth());
		const retention = startRetention({inbox, retentionMs: config.retentionMs, logger});
		closers.push(() => retention.stop());

		const http = await startHttp({
			port: config.port,
			host: config.host,
			...(config.tlsCert && {tlsCert: config.tlsCert}),
			...(config.tlsKey && {tlsKey: config.tlsKey}),
			metrics,
			maxConnections: config.maxConnections,
			...(config.metricsAddress && {metricsAddress: config.metricsAddress}),
			...(config.metricsToken && {metricsToken: config.metricsToken}),
			onDroppedConnections: count => logger.warn({outcome: 'connections-dropped', count}, 'connections closed in the last minute for being idle, slow or malformed'),
			isReady: async () => {
				await database.ping();
				return true;
			},
			onError: error => logger.error({outcome: 'http-error', err: errorSummary(error)}, 'request failed'),
		});
		closers.push(() => {
			// Also here, not only last: when a source fails to start, nothing else closes the port and the process never exits. Twice is harmless.
			http.stopAccepting();
			http.closeAll();
		});
		closers.push(async () => {
			await worker.stop(deps.closeDeadlineMs ?? 10_000);
			// Whatever is still waiting (a long Retry-After) stays leased in the inbox and is retried by the next start.
			shutdown.abort();
			await worker.stop(1000);
		});

		const context: SourceContext = {bot, webex, store, http, report: activity.report, metrics, logger, signal: shutdown.signal};
		// Catch-up sees what every other source recorded (its watermark rises) or could not (it reads that again).
		const catchUp = await catchUpFromConfig(config, context, webexClock.now);
		let failFatally: (error: Error) => void = () => undefined;
		const fatal = new Promise<Error>(resolve => {
			failFatally = resolve;
		});
		const websocket = () =>
			websocketSourceFromConfig(config, {
				webex,
				botId: bot.id,
				store,
				observer: websocketObserver({registry: metrics.registry, logger}),
				onGap: gap => catchUp?.trigger(`websocket ${gap.reason}`),
				onFatal: error => failFatally(error),
			});
		const transport = deps.webhook === false ? [] : config.events === 'websocket' ? [websocket()] : [webhookSource(config)];
		const sources = [...transport, ...(deps.sources ?? [])].map(source => (typeof source === 'function' ? source(context) : source));
		const recorded = createAccept({inbox, report: activity.report, logger, wake: () => worker.wake(), durable: () => store.durable()});
		const accept: Accept = catchUp
			? async delivery => {
					const result = await recorded(delivery);
					catchUp.observe(delivery, result);
					return result;
				}
			: recorded;
		for (const source of sources) {
			await source.start(accept);
			closers.push(() => source.stop());
		}
		if (catchUp) {
			await catchUp.start(createAccept({inbox, report: activity.report, logger, wake: () => worker.wake(), durable: () => store.durable(), quietDuplicates: true}));
			closers.push(() => catchUp.stop());
			sources.push(catchUp);
		}
		// Last to close first: no new input, no new connections, then the replies in flight finish.
		closers.push(() => http.stopAccepting());
		worker.start();
		// --- webhook watchdog (issue 16): reactivates this listener's own webhooks; catch-up, when on, reads what Webex did not deliver meanwhile ---
		const watchdogTarget = sources.map(source => source.status().targetUrl).find(Boolean);
		const watchdog = config.webhookCheckMs > 0 && watchdogTarget ? wireWatchdog({webex, targetUrl: watchdogTarget, intervalMs: config.webhookCheckMs, metrics, logger, ...(catchUp && {catchUp: (reason: string) => catchUp.trigger(reason)})}) : undefined;
		if (watchdog) closers.push(() => watchdog.stop());
		// --- end webhook watchdog ---
		// --- heartbeat (issue 16): this listener in listener_instances, for the TUI's attach mode and health panel ---
		const heartbeat = await startHeartbeat({
			store,
			logger,
			status: () => ({
				bot: {id: bot.id, displayName: bot.displayName, email: bot.email},
				sources: sources.map(source => source.status()),
				...(watchdog && {watchdog: watchdog.status()}),
				...(webexErrors.last() && {lastWebexError: webexErrors.last()}),
				accountSource: accounts.description,
				policy: policySummary(config),
			}),
		});
		closers.push(() => heartbeat.stop());
		// --- end heartbeat ---
		logger.info({outcome: 'listening', url: http.url, sources: sources.map(source => source.status().summary)}, 'listener started');

		let closing: Promise<void> | undefined;
		return {
			healthUrl: http.url,
			boundTo: http.boundTo,
			metricsUrl: http.metricsUrl,
			sources: () => sources.map(source => source.status()),
			catchUp: reason => catchUp?.trigger(reason),
			fatal,
			bot,
			counters: activity.counters,
			onEvent: activity.onEvent,
			...(watchdog && {watchdog: watchdog.status}),
			close() {
				closing ??= closeAll().then(() => logger.info({outcome: 'stopped'}, 'listener stopped'));
				return closing;
			},
		};
	} catch (error) {
		shutdown.abort();
		await closeAll().catch(() => undefined);
		throw error;
	}
}
