// Websocket ("Mercury") delivery in the sandbox, as shared/docs/webex-api.md
// §8.2 lists it: catalog, device service, the socket, the conversation
// service's id lookup, and its faults. Everything only third-party-observed
// is in observed.ts. startSandbox wires it with mountWebsocket.
import type {Server} from 'node:http';
import type Koa from 'koa';
import type {FaultRegistry} from '../faults.js';
import type {SandboxState} from '../state.js';
import type {SandboxMessage} from '../types.js';
import {DeviceRegistry} from './devices.js';
import {SocketHub, type SentFrame} from './hub.js';
import {catalogPath, defaultDeviceCap} from './observed.js';
import {websocketRoutes} from './routes.js';

export type {SentFrame} from './hub.js';

export interface SandboxDeviceInfo {
	id: string;
	ownerId: string;
	name: string;
	connected: boolean;
	/** Frames sent and not yet acknowledged (redelivered when it connects again). */
	unacknowledged: number;
}

/** The programmatic controls; REST-level faults (e.g. a 503 from the catalog) go through sandbox.faults as usual. */
export interface SandboxWebsocket {
	/** The U2C catalog URL to give a client as WEBEX_CATALOG_URL (every other host comes from its answers). */
	readonly catalogUrl: string;
	devices(): SandboxDeviceInfo[];
	/** Authorised sockets open now. */
	connections(): number;
	/** Activity frames sent, in order (redeliveries included). */
	sent(): SentFrame[];
	/** Frame ids acknowledged, in order. */
	acks(): string[];
	/** Ping frame ids received, in order. */
	pings(): string[];
	/** Drops sockets abruptly (all, or one device's), as a network failure would. */
	dropSockets(deviceId?: string): void;
	/** Closes sockets (all, or one device's) with a close frame and `code` (1000–4999), whatever their token: a close a client must survive. */
	closeSockets(code: number, deviceId?: string): void;
	/** Webex forgets registrations (all, or one person's): their sockets drop and the next upgrade is a 404. */
	expireDevices(ownerId?: string): void;
	setDeviceCap(cap: number): void;
}

export interface MountedWebsocket {
	controls: SandboxWebsocket;
	publish(message: SandboxMessage): void;
	/** Call once the server listens, with its base origin (http://host:port). */
	attach(server: Server, origin: string): void;
	close(): void;
}

export function mountWebsocket(app: Koa, state: SandboxState, faults: FaultRegistry, options: {maxDevices?: number} = {}): MountedWebsocket {
	const devices = new DeviceRegistry();
	const hub = new SocketHub(state, devices, faults);
	let cap = options.maxDevices ?? defaultDeviceCap;
	let origin = '';
	const router = websocketRoutes({state, devices, deviceCap: () => cap, onDeleted: device => hub.drop(device.id)});
	app.use(router.routes());
	app.use(router.allowedMethods());
	const controls: SandboxWebsocket = {
		get catalogUrl() {
			return `${origin}${catalogPath}`;
		},
		devices: () =>
			devices.all().map(device => ({
				id: device.id,
				ownerId: device.ownerId,
				name: String(device.description['name'] ?? ''),
				connected: hub.isConnected(device.id),
				unacknowledged: device.unacknowledged.size,
			})),
		connections: () => hub.connections(),
		sent: () => [...hub.sent],
		acks: () => [...hub.acks],
		pings: () => [...hub.pings],
		dropSockets: deviceId => hub.drop(deviceId),
		closeSockets: (code, deviceId) => hub.closeWith(code, deviceId),
		expireDevices(ownerId) {
			for (const device of devices.all()) {
				if (ownerId !== undefined && device.ownerId !== ownerId) continue;
				devices.delete(device.id);
				hub.drop(device.id);
			}
		},
		setDeviceCap(value) {
			cap = value;
		},
	};
	return {
		controls,
		publish: message => hub.publish(message),
		attach(server, base) {
			origin = base;
			hub.attach(server);
		},
		close: () => hub.close(),
	};
}
