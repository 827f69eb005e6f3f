// startSandbox: a local, independent Webex on 127.0.0.1 (see types.ts for the
// programmatic interface and shared/docs/webex-api.md for the HTTP contract).
import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import type {SandboxCore} from './core.js';
import {Deliverer} from './delivery.js';
import {WebexHttpError} from './errors.js';
import {FaultRegistry} from './faults.js';
import {createMessage} from './messages.js';
import {apiPrefix, createApp} from './server.js';
import {SandboxState} from './state.js';
import type {Sandbox, SandboxMessage, SandboxOptions} from './types.js';
import {mountWebsocket} from './websocket/index.js';

export type * from './types.js';
export {demoIdsOf, seedDemo, type DemoIds, type DemoWorld} from './demo.js';

const minute = 60_000;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const state = new SandboxState();
	const faults = new FaultRegistry();
	const health = {
		threshold: options.autoDisableThreshold ?? 100,
		windowMs: options.autoDisableWindowMs ?? 5 * minute,
		probationMs: options.probationMs ?? 5 * minute,
	};
	const deliverer = new Deliverer(state, faults, {
		...health,
		timeoutMs: options.deliveryTimeoutMs ?? 10_000,
		extraSignatureHeader: options.extraSignatureHeader ?? false,
	});
	const messageListeners = new Set<(message: SandboxMessage) => void>();
	const core: SandboxCore = {
		state,
		deliverer,
		faults,
		health,
		quirks: {nextLinksDropMentionedPeople: options.nextLinksDropMentionedPeople ?? false},
		publish(message) {
			deliverer.messageEvent(message, 'created');
			for (const listener of messageListeners) listener(message);
		},
		publishDeleted(message) {
			deliverer.messageEvent(message, 'deleted');
		},
	};
	const latency = {ms: options.latencyMs ?? 0};
	const app = createApp(core, latency);
	const websocket = mountWebsocket(app, state, faults, {maxDevices: options.maxDevices});
	messageListeners.add(message => websocket.publish(message));
	const host = options.host ?? '127.0.0.1';
	const server = app.listen(options.port ?? 0, host);
	await once(server, 'listening');
	const {port} = server.address() as AddressInfo;
	const url = `http://${urlHost(host)}:${port}${apiPrefix}`;
	websocket.attach(server, `http://${urlHost(host)}:${port}`);

	return {
		url,
		async close() {
			await deliverer.close();
			websocket.close();
			server.closeAllConnections();
			await new Promise<void>(resolve => server.close(() => resolve()));
		},
		createPerson: input => state.createPerson(input),
		createRoom: input => state.createRoom(input),
		directRoom: (a, b) => state.directRoom(a, b),
		async sendMessage(token, input) {
			const sender = state.personByTokenValue(token);
			if (!sender) throw new Error('sendMessage: unknown token');
			try {
				const message = createMessage(state, sender, input, id => `${url}/contents/${id}`);
				core.publish(message);
				return message;
			} catch (error) {
				// Same rule as the HTTP answer, as an Error a script can read.
				if (error instanceof WebexHttpError) throw Object.assign(new Error(`sendMessage: ${error.status} ${error.message}`), {status: error.status});
				throw error;
			}
		},
		// Copies, so that inspecting the sandbox cannot change it.
		people: () => state.people().map(person => ({...person})),
		rooms: () => state.rooms().map(room => ({...room})),
		messages: filter => state.messages(filter).map(message => ({...message})),
		webhooks: () => state.webhooks().map(webhook => ({...webhook})),
		deliveries: () => deliverer.deliveries(),
		onDelivery: listener => deliverer.onDelivery(listener),
		onMessage(listener) {
			messageListeners.add(listener);
			return () => messageListeners.delete(listener);
		},
		idle: () => deliverer.idle(),
		faults: {
			add: rule => faults.add(rule),
			clear: () => faults.clear(),
		},
		setLatency(ms) {
			latency.ms = ms;
		},
		websocket: websocket.controls,
	};
}

/** Where a client on this machine reaches a server bound to `host`. */
function urlHost(host: string): string {
	if (host === '0.0.0.0' || host === '') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}
