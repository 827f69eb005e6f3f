// The websocket source's observations as Prometheus metrics (in the
// listener's own registry) and log lines (ids and reasons only, never a
// token or message text).
import {Counter, Gauge, type Registry} from 'prom-client';
import type {Logger} from '../../logger.js';
import type {WebsocketObserver} from './source.js';

export function websocketObserver(options: {registry?: Registry; logger?: Logger}): WebsocketObserver {
	const registers = options.registry ? [options.registry] : [];
	const connected = new Gauge({name: 'globobot_websocket_connected', help: '1 while this replica holds an open, authorised Webex websocket', registers});
	const leader = new Gauge({name: 'globobot_websocket_leader', help: '1 while this replica holds the websocket lease', registers});
	const reconnects = new Counter({name: 'globobot_websocket_reconnects_total', help: 'Waits before reconnecting the Webex websocket', registers});
	const frames = new Counter({name: 'globobot_websocket_frames_total', help: 'Frames received on the Webex websocket', registers});
	const acks = new Counter({name: 'globobot_websocket_acks_total', help: 'Frames acknowledged on the Webex websocket', registers});
	const accepted = new Counter({name: 'globobot_websocket_accepted_total', help: 'Websocket deliveries by inbox answer', labelNames: ['result'], registers});
	const log = options.logger;
	return {
		connected(up) {
			connected.set(up ? 1 : 0);
			log?.info({event: up ? 'websocket-connected' : 'websocket-disconnected'}, up ? 'websocket connected' : 'websocket not connected');
		},
		reconnect(info) {
			reconnects.inc();
			log?.warn({event: 'websocket-reconnect', attempt: info.attempt, delayMs: info.delayMs, reason: info.reason}, 'websocket reconnecting');
		},
		frame: () => frames.inc(),
		ack: () => acks.inc(),
		accepted: result => accepted.inc({result}),
		role(role) {
			leader.set(role === 'leader' ? 1 : 0);
			log?.info({event: 'websocket-role', role}, role === 'leader' ? 'holding the websocket lease' : 'standby: another replica holds the websocket');
		},
		problem(what, detail) {
			log?.warn({event: 'websocket-problem', what, detail}, what);
		},
	};
}
