// One websocket to Mercury, steps 3 and 4 of §8.1: the upgrade with the
// Authorization header, the authorization frame, the wait for the ready
// frame, then a ping every 15 s that must be answered within 14 s, or the
// socket is declared dead. It does not reconnect: mercury.ts does.
import {randomUUID} from 'node:crypto';
import type {Agent} from 'node:http';
import WebSocket from 'ws';
import {WebexError} from '../errors.js';
import {userAgent} from '../request.js';
import {frameType, readyEventTypes} from './protocol.js';

export interface ConnectionOptions {
	url: string;
	token: string;
	agent?: Agent;
	pingIntervalMs: number;
	pongTimeoutMs: number;
	/** Upgrade, authorisation and the ready frame together. */
	readyTimeoutMs: number;
	/**
	 * After the authorization frame, how long to wait for the ready frame before calling an open socket ready anyway:
	 * the SDK waits for one, webex_bot never does, so a Webex that sends none must not keep us reconnecting.
	 */
	readyGraceMs: number;
	onFrame(frame: unknown): void;
}

/** Whatever the code, a close says only that the socket is gone (protocol.ts). */
export type CloseReason =
	| {kind: 'closed'; code: number}
	| {kind: 'dead'; detail: string};

export interface Connection {
	/** False when the socket is no longer open (nothing was sent). */
	send(frame: object): boolean;
	/** Resolves once the socket is gone, with why. */
	readonly closed: Promise<CloseReason>;
	close(): void;
}

/** Resolves once Mercury says the socket is ready; rejects with a WebexError (the upgrade's status, or 0 for the network). */
export function openConnection(options: ConnectionOptions): Promise<Connection> {
	const {pathname} = new URL(options.url);
	const failure = (status: number, webexMessage: string, systemCode?: string) =>
		new WebexError({status, webexMessage, method: 'GET', path: pathname, ...(systemCode && {systemCode})});
	const socket = new WebSocket(options.url, {
		headers: {Authorization: `Bearer ${options.token}`, TrackingID: `globobot_${randomUUID()}_0`, 'User-Agent': userAgent},
		...(options.agent && {agent: options.agent}),
		handshakeTimeout: options.readyTimeoutMs,
		// Activity frames are a few kilobytes; a runaway frame should not take the process's memory.
		maxPayload: 4 * 1024 * 1024,
	});
	let resolveClosed!: (reason: CloseReason) => void;
	const closed = new Promise<CloseReason>(resolve => (resolveClosed = resolve));
	let deadReason: string | undefined;
	let pingTimer: NodeJS.Timeout | undefined;
	let pongTimer: NodeJS.Timeout | undefined;
	let awaitedPong: string | undefined;
	const send = (frame: object) => {
		if (socket.readyState !== WebSocket.OPEN) return false;
		socket.send(JSON.stringify(frame));
		return true;
	};
	const die = (detail: string) => {
		deadReason ??= detail;
		socket.terminate();
	};
	const ping = () => {
		if (awaitedPong !== undefined) return;
		awaitedPong = randomUUID();
		send({id: awaitedPong, type: frameType.ping});
		pongTimer = setTimeout(() => die(`no pong within ${options.pongTimeoutMs} ms`), options.pongTimeoutMs);
	};

	return new Promise<Connection>((resolve, reject) => {
		let ready = false;
		let graceTimer: NodeJS.Timeout | undefined;
		const becomeReady = () => {
			if (ready) return;
			ready = true;
			clearTimeout(readyTimer);
			clearTimeout(graceTimer);
			pingTimer = setInterval(ping, options.pingIntervalMs);
			resolve({send, closed, close: () => socket.close(1000)});
		};
		const readyTimer = setTimeout(() => {
			reject(failure(0, `not ready within ${options.readyTimeoutMs} ms`, 'ETIMEDOUT'));
			die('not ready in time');
		}, options.readyTimeoutMs);
		socket.once('unexpected-response', (_request, response) => {
			const status = response.statusCode ?? 0;
			response.resume();
			clearTimeout(readyTimer);
			reject(failure(status, `the websocket upgrade was refused (${status})`));
			socket.terminate();
		});
		socket.on('error', error => {
			if (ready) return;
			clearTimeout(readyTimer);
			const code = (error as {code?: string}).code;
			// The message can repeat the URL; the code says enough.
			reject(failure(0, `websocket connection failed${code ? ` (${code})` : ''}`, code));
		});
		socket.on('open', () => {
			send({id: randomUUID(), type: frameType.authorization, data: {token: `Bearer ${options.token}`}});
			graceTimer = setTimeout(becomeReady, options.readyGraceMs);
		});
		socket.on('message', (data, isBinary) => {
			if (isBinary) return;
			let frame: {id?: unknown; type?: unknown; data?: {eventType?: unknown}};
			try {
				frame = JSON.parse(data.toString()) as typeof frame;
			} catch {
				return;
			}
			if (frame?.type === frameType.pong) {
				if (frame.id === awaitedPong) {
					clearTimeout(pongTimer);
					awaitedPong = undefined;
				}
				return;
			}
			if (typeof frame?.data?.eventType === 'string' && readyEventTypes.includes(frame.data.eventType)) {
				becomeReady();
				return;
			}
			// An event before any ready frame: the socket is evidently ready.
			becomeReady();
			options.onFrame(frame);
		});
		socket.on('close', code => {
			clearTimeout(readyTimer);
			clearTimeout(graceTimer);
			clearInterval(pingTimer);
			clearTimeout(pongTimer);
			if (!ready) {
				reject(failure(0, `the websocket closed before it was ready (${code})`, 'ECONNRESET'));
			}
			resolveClosed(deadReason ? {kind: 'dead', detail: deadReason} : {kind: 'closed', code});
		});
	});
}
