// The websocket client, §8.1 end to end: discover the device service from
// WEBEX_CATALOG_URL, find our device by name (or register it), connect, and
// keep connected: reconnect with backoff (1 s doubling to 32 s, jittered),
// register again at once when the upgrade says the device is stale (404),
// and stop for good when Webex refuses the token (a 401/403 upgrade, or the
// catalog's 401) or will not register a device (the device cap).
import {setTimeout as sleep} from 'node:timers/promises';
import {WebexError} from '../errors.js';
import {reconnectDelayMs} from './backoff.js';
import {discoverServices, type Services} from './catalog.js';
import {openConnection, type Connection} from './connection.js';
import {DeviceRegistrationRefused, deleteDevice, findOrCreateDevice, type Device} from './devices.js';
import {bypassesProxy} from '../noProxy.js';
import {frameType, parseActivity, type Activity} from './protocol.js';
import {proxyAgent} from './proxy.js';
import {createRest, type Rest} from './rest.js';

export type MercuryState = 'connecting' | 'connected' | 'reconnecting' | 'stopped' | 'failed';

export interface MercuryOptions {
	token: string;
	/** WEBEX_CATALOG_URL. */
	catalogUrl: string;
	/** GLOBOBOT_DEVICE_NAME: our device among the token's devices. */
	deviceName: string;
	/** HTTPS_PROXY, for the REST calls and the socket, and NO_PROXY's exceptions to it. */
	proxyUrl?: string;
	noProxy?: string;
	/** GLOBOBOT_DELETE_DEVICE: delete our device when stopped gracefully. */
	deleteDeviceOnStop?: boolean;
	/** Defaults 15 s / 14 s (the SDK's). */
	pingIntervalMs?: number;
	pongTimeoutMs?: number;
	/** Upgrade + authorisation + ready frame. Default 20 s. */
	readyTimeoutMs?: number;
	/** An open, authorised socket with no ready frame counts as ready after this. Default 3 s. */
	readyGraceMs?: number;
	/** Reconnect backoff bounds, defaults 1 s / 32 s. */
	minBackoffMs?: number;
	maxBackoffMs?: number;
	random?: () => number;
	restTimeoutMs?: number;
	onActivity(activity: Activity): void;
	onConnected?(info: {at: number; reconnect: boolean; createdDevice: boolean}): void;
	onDisconnected?(info: {at: number; reason: string}): void;
	/** A wait before the next attempt (metrics: reconnects), with what failed. */
	onReconnecting?(info: {attempt: number; delayMs: number; reason: string}): void;
	/** Every frame received (metrics). */
	onFrame?(): void;
	/** Webex refused the token, or a device registration, after the client had connected; it has stopped. */
	onFatal?(error: WebexError | DeviceRegistrationRefused): void;
}

export interface MercuryClient {
	/** Resolves after the first attempt, connected or not (it keeps trying); rejects when Webex refuses the token or our device's registration. */
	start(): Promise<void>;
	/** Closes the socket; deletes our device when `deleteDevice` (default: the deleteDeviceOnStop option). */
	stop(deleteDevice?: boolean): Promise<void>;
	/** Sends the ack of `frameId`; false when no socket is open (the frame will come again). */
	ack(frameId: string): boolean;
	state(): MercuryState;
	/** The REST caller with the same token and proxy, for the conversation service. */
	readonly rest: Rest;
}

const isCode = (error: unknown, code: WebexError['code']) => error instanceof WebexError && error.code === code;
/** What no reconnect can mend: the operator must act. */
const isFatal = (error: unknown): error is WebexError | DeviceRegistrationRefused => isCode(error, 'unauthorised') || error instanceof DeviceRegistrationRefused;

export function createMercuryClient(options: MercuryOptions): MercuryClient {
	const running = new AbortController();
	const proxy = options.proxyUrl ? {proxyUrl: options.proxyUrl, ...(options.noProxy && {noProxy: options.noProxy})} : {};
	// ws takes a node:http agent, not undici's dispatcher: the same proxy, its own tunnel.
	const socketAgent = proxyAgent(options.proxyUrl);
	const rest = createRest({token: options.token, ...proxy, ...(options.restTimeoutMs && {timeoutMs: options.restTimeoutMs}), signal: running.signal});
	const backoff = {minMs: options.minBackoffMs ?? 1000, maxMs: options.maxBackoffMs ?? 32_000, ...(options.random && {random: options.random})};
	let state: MercuryState = 'connecting';
	let services: Services | undefined;
	let device: Device | undefined;
	let connection: Connection | undefined;
	let loop: Promise<void> | undefined;
	let everConnected = false;

	async function pause(attempt: number, reason: string): Promise<void> {
		state = 'reconnecting';
		const delayMs = reconnectDelayMs(attempt, backoff);
		options.onReconnecting?.({attempt, delayMs, reason});
		await sleep(delayMs, undefined, {signal: running.signal}).catch(() => undefined);
	}

	async function run(firstAttempt: {resolve(): void; reject(error: Error): void}): Promise<void> {
		let attempt = 0;
		// Every device whose upgrade said 404 in this run: two stale ones of our name must not be tried in turn forever.
		const stale = new Set<string>();
		let created = false;
		// Registered in this attempt and not yet connected to: if it is stale too, registering again at once would loop.
		let unproven = false;
		while (!running.signal.aborted) {
			try {
				services ??= await discoverServices(rest, options.catalogUrl);
				if (!device) {
					({device, created} = await findOrCreateDevice(rest, services.wdm, options.deviceName, stale));
					unproven = created;
				}
				connection = await openConnection({
					url: device.webSocketUrl,
					token: options.token,
					...(socketAgent && !bypassesProxy(device.webSocketUrl, options.noProxy) && {agent: socketAgent}),
					pingIntervalMs: options.pingIntervalMs ?? 15_000,
					pongTimeoutMs: options.pongTimeoutMs ?? 14_000,
					readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
					readyGraceMs: options.readyGraceMs ?? 3000,
					onFrame(frame) {
						options.onFrame?.();
						const activity = parseActivity(frame);
						if (activity) options.onActivity(activity);
					},
				});
				if (running.signal.aborted) {
					connection.close();
					break;
				}
				state = 'connected';
				attempt = 0;
				unproven = false;
				options.onConnected?.({at: Date.now(), reconnect: everConnected, createdDevice: created});
				everConnected = true;
				firstAttempt.resolve();
				const reason = await connection.closed;
				connection = undefined;
				if (running.signal.aborted) break;
				const why = reason.kind === 'dead' ? reason.detail : `closed (${reason.code})`;
				options.onDisconnected?.({at: Date.now(), reason: why});
				// A close code says nothing for sure (protocol.ts): the catalog, read again first, is where a revoked token shows (401).
				services = undefined;
				await pause(++attempt, why);
			} catch (error) {
				connection = undefined;
				if (running.signal.aborted) break;
				if (isFatal(error)) {
					state = 'failed';
					if (everConnected) options.onFatal?.(error);
					firstAttempt.reject(error);
					return;
				}
				// With a device, a 404 is its upgrade's: a stale registration. Another of ours, or a new one, is tried at once,
				// unless the one just registered is stale too: then it waits like a dropped socket.
				if (isCode(error, 'not-found') && device) {
					stale.add(device.url);
					device = undefined;
					if (!unproven) continue;
				}
				// The next attempt starts from the catalog: it also tells a revoked token (401) from a dropped socket.
				services = undefined;
				firstAttempt.resolve();
				await pause(++attempt, error instanceof WebexError ? error.message : String(error));
			}
		}
		state = 'stopped';
		firstAttempt.resolve();
	}

	return {
		rest,
		start() {
			return new Promise<void>((resolve, reject) => {
				loop = run({resolve, reject});
			});
		},
		async stop(deleteOurs = options.deleteDeviceOnStop ?? false) {
			running.abort();
			connection?.close();
			await loop;
			state = 'stopped';
			if (deleteOurs && device) {
				// Only ours, and only now: a running process's device is never touched.
				const cleanup = createRest({token: options.token, ...proxy, retries: 1, timeoutMs: 5000});
				await deleteDevice(cleanup, device).catch(error => {
					if (!isCode(error, 'not-found')) throw error;
				});
				device = undefined;
			}
		},
		ack(frameId) {
			return connection?.send({type: frameType.ack, messageId: frameId}) ?? false;
		},
		state: () => state,
	};
}
