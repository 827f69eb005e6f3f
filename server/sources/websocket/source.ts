// The websocket event source: while this replica holds the leader lease it
// keeps one Mercury socket open (source/webex/websocket/); each `post`
// activity becomes a Delivery (resolve.ts), is accepted into the inbox, and
// only then acknowledged with its frame id. A frame redelivered because its
// ack was lost resolves to the same message id: the inbox calls it a
// duplicate, and it is acknowledged again. Every disconnect, and every
// takeover from another replica, is reported as a gap for catch-up.
import {randomUUID} from 'node:crypto';
import {hostname} from 'node:os';
import {ConfigError} from '../../../source/configError.js';
import {WebexError} from '../../../source/webex/errors.js';
import type {WebexClient} from '../../../source/webex/types.js';
import {createMercuryClient, DeviceRegistrationRefused, questionVerbs, type Activity, type MercuryClient, type MercuryOptions} from '../../../source/webex/websocket/index.js';
import {openLeaderLease, type LeaderLease} from '../../store/leader.js';
import type {SqlStore} from '../../store/sql.js';
import type {Accept, AcceptResult, EventSource, SourceStatus} from '../source.js';
import {startLeadership, type Leadership} from './leadership.js';
import {resolveActivity} from './resolve.js';

/** A stretch of time in which events may have been missed (epoch ms), for catch-up to re-read. */
export interface Gap {
	since: number;
	until: number;
	reason: string;
}

/** Hooks for metrics (e.g. prom-client counters and a gauge) and logs; never given message text or tokens. */
export interface WebsocketObserver {
	connected?(up: boolean): void;
	reconnect?(info: {attempt: number; delayMs: number; reason: string}): void;
	frame?(): void;
	ack?(): void;
	accepted?(result: AcceptResult): void;
	role?(role: 'leader' | 'standby'): void;
	/** Something went wrong that the source handles itself (a failed renewal, an unreadable message). */
	problem?(what: string, detail: string): void;
}

export interface WebsocketSourceOptions {
	token: string;
	catalogUrl: string;
	deviceName: string;
	deleteDeviceOnStop?: boolean;
	/** HTTPS_PROXY, and NO_PROXY's exceptions to it. */
	proxyUrl?: string;
	noProxy?: string;
	/** The typed REST client (through HTTPS_PROXY too). */
	webex: {messages: Pick<WebexClient['messages'], 'get'>; people: Pick<WebexClient['people'], 'me'>};
	/** The bot's person id, when the caller already knows it; otherwise read with people.me() at start. */
	botId?: string;
	/** The listener store for the leader lease; without it this process always leads (a single replica). */
	store?: SqlStore;
	/** This replica's name in the lease. Default host-pid-random. */
	holder?: string;
	/** Defaults 5 s and 1.5 s: a standby takes over at most ttl + renew = 6.5 s (plus connecting) after the holder's last renewal. */
	leaseTtlMs?: number;
	leaseRenewMs?: number;
	/** Frames resolved and accepted at once. Default 16. */
	concurrency?: number;
	/** Timings of the socket (tests shorten them). */
	mercury?: Pick<MercuryOptions, 'pingIntervalMs' | 'pongTimeoutMs' | 'readyTimeoutMs' | 'readyGraceMs' | 'minBackoffMs' | 'maxBackoffMs' | 'random'>;
	/** "I was disconnected from since to until": catch-up should re-read that stretch. */
	onGap?(gap: Gap): void;
	/** Webex refused the token or our device's registration after start: the source has stopped receiving (serve should exit 2). */
	onFatal?(error: ConfigError): void;
	observer?: WebsocketObserver;
}

export interface WebsocketSource extends EventSource {
	/** For tests and fault drills: stop as a killed process would, without releasing the lease or closing politely. */
	abandon(): Promise<void>;
}

type Phase = 'starting' | 'connected' | 'reconnecting' | 'standby' | 'stopped' | 'failed';

const refused = (error: WebexError) =>
	new ConfigError(`Webex refused WEBEX_TOKEN for websocket delivery (${error.status} at ${error.method} ${error.path}): check the bot's access token`);

/** The one line an operator reads: the device cap is not the token's fault, and says what to delete. */
const fatal = (error: WebexError | DeviceRegistrationRefused) => (error instanceof DeviceRegistrationRefused ? new ConfigError(error.message) : refused(error));
const failureOf = (error: unknown) => (error instanceof DeviceRegistrationRefused ? 'Webex would not register a device' : 'Webex refused the token');

export function createWebsocketSource(options: WebsocketSourceOptions): WebsocketSource {
	const observer = options.observer ?? {};
	const holder = options.holder ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
	const ttlMs = options.leaseTtlMs ?? 5000;
	const renewMs = options.leaseRenewMs ?? 1500;
	const inFlight = new Set<Promise<void>>();
	let phase: Phase = 'starting';
	let accept: Accept | undefined;
	let botId = options.botId;
	let client: MercuryClient | undefined;
	let clientStarted: Promise<void> | undefined;
	let leadership: Leadership | undefined;
	let lease: LeaderLease | undefined;
	let disconnectedAt: number | undefined;
	let standbySince: number | undefined;
	let failure: string | undefined;
	let started = false;

	const gap = (since: number, until: number, reason: string) => options.onGap?.({since, until, reason});

	// A redelivery after a long outage can bring thousands of frames at once: at most `concurrency` are resolved together.
	const concurrency = options.concurrency ?? 16;
	const queue: Array<{current: MercuryClient; activity: Activity}> = [];
	function drain(): void {
		while (inFlight.size < concurrency && queue.length > 0) {
			const {current, activity} = queue.shift()!;
			const work: Promise<void> = handle(current, activity)
				.catch(error => observer.problem?.('frame handling failed', error instanceof Error ? error.message : String(error)))
				.finally(() => {
					inFlight.delete(work);
					drain();
				});
			inFlight.add(work);
		}
	}

	async function handle(current: MercuryClient, activity: Activity): Promise<void> {
		const ack = () => {
			if (current.ack(activity.frameId)) observer.ack?.();
		};
		if (!questionVerbs.has(activity.verb)) return ack();
		const resolved = await resolveActivity(activity, {rest: current.rest, messages: options.webex.messages});
		if (resolved.kind === 'retry') {
			// Not acknowledged: redelivered on the next connection of this device; catch-up looks meanwhile.
			observer.problem?.('message read failed', resolved.reason);
			return gap(activity.published ?? Date.now(), Date.now(), `message unreadable (${resolved.reason})`);
		}
		if (resolved.kind === 'skip') {
			if (resolved.uncertain) gap(activity.published ?? Date.now(), Date.now(), resolved.reason);
			return ack();
		}
		// The bot's own replies come over the socket too.
		if (resolved.authorId === botId) return ack();
		const result = await accept!(resolved.delivery);
		observer.accepted?.(result);
		if (result === 'unavailable') return gap(activity.published ?? Date.now(), Date.now(), 'inbox unavailable');
		ack();
	}

	function connect(): void {
		const current: MercuryClient = createMercuryClient({
			token: options.token,
			catalogUrl: options.catalogUrl,
			deviceName: options.deviceName,
			...(options.deleteDeviceOnStop !== undefined && {deleteDeviceOnStop: options.deleteDeviceOnStop}),
			...(options.proxyUrl && {proxyUrl: options.proxyUrl}),
			...(options.noProxy && {noProxy: options.noProxy}),
			...options.mercury,
			onActivity(activity) {
				queue.push({current, activity});
				drain();
			},
			onFrame: () => observer.frame?.(),
			onConnected(info) {
				phase = 'connected';
				observer.connected?.(true);
				if (info.reconnect && disconnectedAt !== undefined) gap(disconnectedAt, info.at, 'websocket reconnected');
				if (!info.reconnect && standbySince !== undefined) {
					// Taking over from a holder that stopped renewing: it may have been gone for up to a lease and a renewal.
					gap(Math.max(standbySince, info.at - ttlMs - renewMs), info.at, 'took over the websocket from another replica');
					standbySince = undefined;
				}
				disconnectedAt = undefined;
			},
			onDisconnected(info) {
				disconnectedAt ??= info.at;
				if (phase === 'connected') phase = 'reconnecting';
				observer.connected?.(false);
			},
			onReconnecting(info) {
				if (phase !== 'standby') phase = 'reconnecting';
				observer.reconnect?.(info);
			},
			onFatal(error) {
				phase = 'failed';
				failure = failureOf(error);
				observer.connected?.(false);
				options.onFatal?.(fatal(error));
			},
		});
		client = current;
		clientStarted = current.start().catch((error: unknown) => {
			phase = 'failed';
			failure = failureOf(error);
			const reported = error instanceof WebexError || error instanceof DeviceRegistrationRefused ? fatal(error) : error;
			// After start() has returned (a takeover), nobody awaits this: tell the listener instead.
			if (started && reported instanceof ConfigError) options.onFatal?.(reported);
			throw reported;
		});
		// Rejections are read by start(); a later fatal arrives through onFatal.
		clientStarted.catch(() => undefined);
	}

	async function disconnect(deleteDevice: boolean): Promise<void> {
		const current = client;
		client = undefined;
		clientStarted = undefined;
		// Frames not yet started stay unacknowledged: the device gets them again on its next connection.
		for (let index = queue.length - 1; index >= 0; index--) if (queue[index]!.current === current) queue.splice(index, 1);
		while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
		await current?.stop(deleteDevice);
	}

	function onRole(role: 'leader' | 'standby'): void {
		observer.role?.(role);
		if (role === 'leader') {
			if (phase === 'standby') phase = 'reconnecting';
			connect();
			return;
		}
		standbySince = Date.now();
		phase = 'standby';
		observer.connected?.(false);
		void disconnect(false);
	}

	return {
		kind: 'websocket',
		async start(acceptDelivery) {
			accept = acceptDelivery;
			if (botId === undefined) {
				try {
					botId = (await options.webex.people.me()).id;
				} catch (error) {
					if (error instanceof WebexError && error.code === 'unauthorised') throw refused(error);
					throw error;
				}
			}
			lease = options.store ? await openLeaderLease(options.store, `websocket:${options.deviceName}`) : undefined;
			leadership = await startLeadership({
				...(lease && {lease}),
				holder,
				ttlMs,
				renewMs,
				onRole,
				onError: error => observer.problem?.('lease renewal failed', error instanceof Error ? error.message : String(error)),
			});
			if (!leadership.isLeader()) {
				phase = 'standby';
				standbySince = Date.now();
			}
			// The first attempt only: a Webex that is down now is retried in the background, a refused token stops here.
			try {
				await clientStarted;
			} catch (error) {
				// A source that did not start is never stopped by its caller: end the lease's renewals here, or they keep the process alive.
				await leadership.stop(false);
				await disconnect(false);
				await lease?.release(holder).catch(() => undefined);
				throw error;
			} finally {
				started = true;
			}
		},
		async stop() {
			phase = 'stopped';
			await leadership?.stop(false);
			await disconnect(options.deleteDeviceOnStop ?? false);
			// Released last, so a standby does not connect while our socket is still open.
			await lease?.release(holder).catch(() => undefined);
			observer.connected?.(false);
		},
		async abandon() {
			phase = 'stopped';
			await leadership?.stop(false);
			await disconnect(false);
		},
		status(): SourceStatus {
			const summary: Record<Phase, string> = {
				starting: 'websocket starting',
				connected: 'websocket connected',
				reconnecting: 'websocket reconnecting',
				standby: 'websocket standby (another replica holds the socket)',
				stopped: 'websocket stopped',
				failed: `websocket stopped: ${failure ?? 'failed'}`,
			};
			return {kind: 'websocket', summary: summary[phase], live: phase === 'connected'};
		},
	};
}
