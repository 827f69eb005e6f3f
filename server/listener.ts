// Starts and stops a listener, headless (serve) or embedded (the TUI). It only
// composes: event sources → accept → inbox → worker → replier, around one
// store and one HTTP server, and closes them in reverse. What each part does
// is in its own file.
import {ConfigError, type Config} from '../source/config.js';
import {openDatabase} from '../source/crm/database.js';
import type {AccountLookup} from '../source/crm/lookup.js';
import type {Database} from '../source/crm/types.js';
import {migrateStore} from '../source/sql/migrate.js';
import {createWebexClient} from '../source/webex/client.js';
import type {WebexClient} from '../source/webex/types.js';
import {createActivity} from './activity.js';
import {whoAmI} from './bot.js';
import type {OnDecided} from './decision.js';
import type {ListenerHandle} from './events.js';
import {startHttp} from './http.js';
import {createLogger, type Logger} from './logger.js';
import {createListenerMetrics} from './metrics.js';
import {errorSummary} from './outcome.js';
import {allowListPolicy} from './policy/allowList.js';
import {defaultRetentionMs, startRetention} from './retention.js';
import type {Policy} from './policy/policy.js';
import {createReplier, defaultCrmMaxWaitMs} from './replier.js';
import {createAccept} from './sources/accept.js';
import type {SourceContext, SourceFactory} from './sources/context.js';
import type {EventSource} from './sources/source.js';
import {checkWebhookConfig, webhookSource} from './sources/webhook/webhook.js';
import {createHeartbeats} from './store/heartbeats.js';
import {createInbox} from './store/inbox.js';
import {listenerMigrations} from './store/migrations/index.js';
import {createWorker} from './worker.js';

export interface ListenerDeps {
	/** For reads and sends; default: a client for config.webexApiUrl with WEBEX_TOKEN. */
	webex?: WebexClient;
	/** For sends only; default: `webex` when given, else a client that retries nothing itself (see below). */
	sender?: WebexClient;
	/** An open database; it is left open at close. Default: opens config.databaseUrl and closes it at close. */
	database?: Database;
	/** Where balances come from; default: the database's embedded accounts. Left open at close (its maker closes it). */
	accounts?: AccountLookup;
	/** Who may see what; default: the GLOBOBOT_ALLOW list. */
	policy?: Policy;
	/** More event sources besides the webhook (catch-up, websocket): built ones, or factories given the listener's parts. */
	sources?: Array<EventSource | SourceFactory>;
	/** false: no webhook source (and no webhook secret needed). Default true. */
	webhook?: boolean;
	/** Called once per decision inside the transaction that saves its plan (the audit trail). */
	onDecided?: OnDecided;
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
	if (deps.webhook !== false) checkWebhookConfig(config);
}

/** GLOBOBOT_RETENTION, where the configuration has it. */
const retentionOf = (config: Config) => (config as Config & {retentionMs?: number}).retentionMs ?? defaultRetentionMs;

/** CRM_MAX_WAIT, where the configuration has it. */
const crmMaxWaitOf = (config: Config) => (config as Config & {crmMaxWaitMs?: number}).crmMaxWaitMs ?? defaultCrmMaxWaitMs;

export async function startListener(config: Config, deps: ListenerDeps = {}): Promise<ListenerHandle> {
	checkListenerConfig(config, deps);
	const logger = deps.logger ?? createLogger({level: config.logLevel});
	const metrics = createListenerMetrics();
	const shutdown = new AbortController();
	const clientOptions = {baseUrl: config.webexApiUrl, token: config.webexToken ?? '', observer: metrics.webexObserver, signal: shutdown.signal};
	const webex = deps.webex ?? createWebexClient(clientOptions);
	// A POST that timed out or got a 5xx may still have been applied. The client
	// would send it again blindly; the worker instead puts the event back as
	// `sending`, and the next attempt looks for the reply before posting again.
	const sendTimeoutMs = deps.sendTimeoutMs ?? 5000;
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
		await migrateStore(store, listenerMigrations);
		const inbox = createInbox(store, Date.now, {deadAfterMs: deps.deadAfterMs ?? 3000});
		const heartbeats = createHeartbeats(store);
		// Owners silent for a day are long gone (their leases expired within 30 s).
		await heartbeats.forget(86_400_000);
		const activity = createActivity({logger, metrics});
		const replier = createReplier({
			bot,
			inbox,
			accounts: deps.accounts ?? database.accounts,
			policy: deps.policy ?? allowListPolicy(config.allow),
			reader: webex,
			sender,
			sendWindowMs: sendTimeoutMs + Math.max(1000, sendTimeoutMs / 2),
			groupReply: config.groupReply,
			accountPattern: config.accountPattern,
			crmMaxWaitMs: crmMaxWaitOf(config),
			...(deps.onDecided && {onDecided: deps.onDecided}),
			logger,
		});
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
		const retention = startRetention({inbox, retentionMs: retentionOf(config), logger});
		closers.push(() => retention.stop());

		const http = await startHttp({
			port: config.port,
			host: config.host,
			...(config.tlsCert && {tlsCert: config.tlsCert}),
			...(config.tlsKey && {tlsKey: config.tlsKey}),
			metrics,
			isReady: async () => {
				await database.ping();
				return true;
			},
			onError: error => logger.error({outcome: 'http-error', err: errorSummary(error)}, 'request failed'),
		});
		closers.push(() => http.closeAll());
		closers.push(async () => {
			await worker.stop(deps.closeDeadlineMs ?? 10_000);
			// Whatever is still waiting (a long Retry-After) stays leased in the inbox and is retried by the next start.
			shutdown.abort();
			await worker.stop(1000);
		});

		const context: SourceContext = {bot, webex, store, http, report: activity.report, metrics, logger, signal: shutdown.signal};
		const wanted = [...(deps.webhook === false ? [] : [webhookSource(config)]), ...(deps.sources ?? [])];
		const sources = wanted.map(source => (typeof source === 'function' ? source(context) : source));
		const accept = createAccept({inbox, report: activity.report, logger, wake: () => worker.wake()});
		for (const source of sources) {
			await source.start(accept);
			closers.push(() => source.stop());
		}
		// Last to close first: no new input, no new connections, then the replies in flight finish.
		closers.push(() => http.stopAccepting());
		worker.start();
		logger.info({outcome: 'listening', url: http.url, sources: sources.map(source => source.status().summary)}, 'listener started');

		let closing: Promise<void> | undefined;
		return {
			sources: () => sources.map(source => source.status()),
			bot,
			counters: activity.counters,
			onEvent: activity.onEvent,
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
