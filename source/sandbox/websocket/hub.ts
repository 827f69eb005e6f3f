// The websocket itself, on the sandbox's own HTTP server: upgrades for
// registered devices only (404 for a stale one, as Webex answers), the
// authorization frame, pings, acks, activity frames for every device whose
// owner may see a new message, and redelivery of what a device never
// acknowledged when it connects again.
import {randomUUID} from 'node:crypto';
import type {IncomingMessage, Server} from 'node:http';
import type {Duplex} from 'node:stream';
import {WebSocket, WebSocketServer, type RawData} from 'ws';
import {errorBody, newTrackingId} from '../errors.js';
import type {FaultRegistry} from '../faults.js';
import type {SandboxState} from '../state.js';
import type {SandboxMessage} from '../types.js';
import {activityFrame} from './activity.js';
import type {DeviceRegistry, Frame, SandboxDevice} from './devices.js';
import {ackFrameIdField, activityVerbs, authorizationTimeoutMs, closeCodes, frameTypes, readyEventType, socketPathPattern} from './observed.js';

interface Session {
	socket: WebSocket;
	device: SandboxDevice;
	authorised: boolean;
}

/** What the hub has done, for tests and rehearsals to inspect. */
export interface SentFrame {
	deviceId: string;
	frameId: string;
	/** True when this frame was sent before and not acknowledged. */
	redelivery: boolean;
}

export class SocketHub {
	private readonly server = new WebSocketServer({noServer: true});
	private readonly sessions = new Map<string, Session>();
	readonly sent: SentFrame[] = [];
	readonly acks: string[] = [];
	readonly pings: string[] = [];

	constructor(
		private readonly state: SandboxState,
		private readonly devices: DeviceRegistry,
		private readonly faults: FaultRegistry,
	) {}

	attach(server: Server): void {
		server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
	}

	/** A new message: every device whose owner can see it gets an activity frame, now or when it next connects; a file's message then an `update` (its scan, instantly here). */
	publish(message: SandboxMessage): void {
		for (const device of this.devices.all()) {
			if (!this.state.canSee(device.ownerId, message)) continue;
			const frames = [activityFrame(message, device.origin), ...(message.files ? [activityFrame(message, device.origin, activityVerbs.update)] : [])];
			const session = this.sessions.get(device.id);
			for (const frame of frames) {
				this.devices.keep(device, frame);
				if (session?.authorised) this.send(session, frame, false);
			}
		}
	}

	/** Authorised sockets open now. */
	connections(): number {
		return [...this.sessions.values()].filter(session => session.authorised).length;
	}

	isConnected(deviceId: string): boolean {
		return this.sessions.get(deviceId)?.authorised ?? false;
	}

	/** Closes sockets abruptly, as a network failure would (no close frame). */
	drop(deviceId?: string): void {
		for (const [id, session] of this.sessions) if (deviceId === undefined || id === deviceId) session.socket.terminate();
	}

	/** Closes sockets with a close frame carrying `code`: Webex's reasons and codes for one are unknown ([U]). */
	closeWith(code: number, deviceId?: string): void {
		for (const [id, session] of this.sessions) if (deviceId === undefined || id === deviceId) session.socket.close(code, 'closed by the sandbox');
	}

	close(): void {
		this.drop();
		this.server.close();
	}

	private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		const path = new URL(request.url ?? '/', 'http://sandbox').pathname;
		const registrationId = socketPathPattern.exec(path)?.[1];
		const device = registrationId === undefined ? undefined : this.devices.get(registrationId);
		// A registration the device service no longer knows: the client must register again.
		if (!device) return refuse(socket, 404, 'Registration not found.');
		const header = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
		if (request.headers.authorization !== undefined) {
			const person = header ? this.state.personByTokenValue(header[1]!) : undefined;
			if (!person) return refuse(socket, 401, 'The request requires a valid access token set in the Authorization request header.');
			if (person.id !== device.ownerId) return refuse(socket, 403, 'This device belongs to another user.');
		}
		this.server.handleUpgrade(request, socket, head, webSocket => this.open(webSocket, device));
	}

	private open(socket: WebSocket, device: SandboxDevice): void {
		// One socket per device: a new connection replaces the old one.
		this.sessions.get(device.id)?.socket.close(closeCodes.replaced, 'replaced by a new connection');
		const session: Session = {socket, device, authorised: false};
		this.sessions.set(device.id, session);
		const timer = setTimeout(() => socket.close(closeCodes.unauthorised, 'no authorization'), authorizationTimeoutMs);
		socket.on('message', (data: RawData, isBinary: boolean) => {
			if (!isBinary) this.receive(session, data.toString());
		});
		socket.on('close', () => {
			clearTimeout(timer);
			if (this.sessions.get(device.id) === session) this.sessions.delete(device.id);
		});
		socket.on('error', () => socket.terminate());
		session.socket.once('message', () => clearTimeout(timer));
	}

	private receive(session: Session, text: string): void {
		let frame: Record<string, unknown>;
		try {
			const parsed: unknown = JSON.parse(text);
			if (typeof parsed !== 'object' || parsed === null) return;
			frame = parsed as Record<string, unknown>;
		} catch {
			return;
		}
		if (!session.authorised) {
			this.authorise(session, frame);
			return;
		}
		if (frame['type'] === frameTypes.ping && typeof frame['id'] === 'string') {
			this.pings.push(frame['id']);
			if (this.faults.take('websocket', 'silent-pong')) return;
			session.socket.send(JSON.stringify({id: frame['id'], type: frameTypes.pong}));
			return;
		}
		if (frame['type'] === frameTypes.ack && typeof frame[ackFrameIdField] === 'string') {
			const frameId = frame[ackFrameIdField];
			if (this.faults.take('websocket', 'ignore-ack')) return;
			this.acks.push(frameId);
			session.device.unacknowledged.delete(frameId);
		}
	}

	private authorise(session: Session, frame: Record<string, unknown>): void {
		const data = frame['data'] as {token?: unknown} | undefined;
		const match = frame['type'] === frameTypes.authorization && typeof data?.token === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(data.token) : null;
		const person = match ? this.state.personByTokenValue(match[1]!) : undefined;
		if (!person) {
			session.socket.close(closeCodes.unauthorised, 'authorization failed');
			return;
		}
		if (person.id !== session.device.ownerId) {
			session.socket.close(closeCodes.forbidden, 'device belongs to another user');
			return;
		}
		session.authorised = true;
		session.socket.send(JSON.stringify({id: randomUUID(), data: {eventType: readyEventType}, timestamp: Date.now(), trackingId: newTrackingId()}));
		// What this device was sent before and never acknowledged comes again, oldest first, with the same frame ids.
		for (const frame of [...session.device.unacknowledged.values()]) this.send(session, frame, true);
	}

	private send(session: Session, frame: Frame, redelivery: boolean): void {
		if (session.socket.readyState !== WebSocket.OPEN) return;
		if (this.faults.take('websocket', 'drop')) {
			session.socket.terminate();
			return;
		}
		session.socket.send(frame.text);
		this.sent.push({deviceId: session.device.id, frameId: frame.id, redelivery});
	}
}

/** Answers an upgrade with an HTTP error in Webex's shape, then hangs up. */
function refuse(socket: Duplex, status: number, message: string): void {
	const body = JSON.stringify(errorBody(message, newTrackingId()));
	const reason = {401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found'}[status] ?? 'Error';
	socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
