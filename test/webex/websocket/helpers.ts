// A seeded sandbox and a Mercury client on it, stopped at teardown.
import type {ExecutionContext} from 'ava';
import {createMercuryClient, type Activity, type MercuryOptions} from '../../../source/webex/websocket/index.js';
import {startWorld, type World} from '../../sandbox/helpers.js';

export interface Harness {
	activities: Activity[];
	events: string[];
	client: ReturnType<typeof createMercuryClient>;
}

export function mercuryOn(t: ExecutionContext, world: World, options: Partial<MercuryOptions> = {}): Harness {
	const activities: Activity[] = [];
	const events: string[] = [];
	const client = createMercuryClient({
		token: world.bot.token,
		catalogUrl: world.sandbox.websocket.catalogUrl,
		deviceName: 'globobot-test',
		minBackoffMs: 20,
		maxBackoffMs: 200,
		onActivity: activity => activities.push(activity),
		onConnected: info => events.push(info.reconnect ? 'reconnected' : 'connected'),
		onDisconnected: info => events.push(`disconnected: ${info.reason}`),
		...options,
	});
	t.teardown(() => client.stop());
	return {activities, events, client};
}

export {startWorld};
