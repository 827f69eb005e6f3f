// The websocket client, §8.1 end to end: discover the device service from
// WEBEX_CATALOG_URL, find our device by name (or register it), connect, and
// keep connected: reconnect with backoff (1 s doubling to 32 s, jittered),
// register again at once when the upgrade says the device is stale (404),
// and stop for good when Webex refuses the token (401/403).
import {setTimeout as sleep} from 'node:timers/promises';
import {WebexError} from '../errors.js';
import {reconnectDelayMs} from './backoff.js';
import {discoverServices, type Services} from './catalog.js';
import {openConnection, type Connection} from './connection.js';
import {deleteDevice, findOrCreateDevice, type Device} from './devices.js';
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
	/** Webex refused the token after the client had connected; it has stopped. */
	onFatal?(error: WebexError): void;
}

export interface MercuryClient {
	/** Resolves after the first attempt, connected or not (it keeps trying); rejects when Webex refuses the token. */
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
		let avoid: string | undefined;
		let created = false;
		while (!running.signal.aborted) {
			try {
				services ??= await discoverServices(rest, options.catalogUrl);
				if (!device) ({device, created} = await findOrCreateDevice(rest, services.wdm, options.deviceName, avoid));
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
				avoid = undefined;
				options.onConnected?.({at: Date.now(), reconnect: everConnected, createdDevice: created});
				everConnected = true;
				firstAttempt.resolve();
				const reason = await connection.closed;
				connection = undefined;
				if (running.signal.aborted) break;
				const why = reason.kind === 'dead' ? reason.detail : `closed (${reason.code})`;
				options.onDisconnected?.({at: Date.now(), reason: why});
				if (reason.kind === 'unauthorised') throw new WebexError({status: 401, webexMessage: 'Webex closed the websocket: the token is not authorised', method: 'GET', path: new URL(device.webSocketUrl).pathname});
				await pause(++attempt, why);
			} catch (error) {
				connection = undefined;
				if (running.signal.aborted) break;
				if (isCode(error, 'unauthorised')) {
					state = 'failed';
					const refused = error as WebexError;
					if (everConnected) options.onFatal?.(refused);
					firstAttempt.reject(refused);
					return;
				}
				// A stale registration: register again at once; a second 404 in a row waits like any failure.
				if (isCode(error, 'not-found') && device && avoid !== device.url) {
					avoid = device.url;
					device = undefined;
					continue;
				}
				if (isCode(error, 'not-found')) services = undefined;
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
