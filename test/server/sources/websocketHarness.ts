// A websocket source on the sandbox with a real inbox behind `accept`: what
// the listener will wire, minus the worker (tests look at what was accepted).
import type {ExecutionContext} from 'ava';
import type {Inbox} from '../../../server/store/inbox.js';
import {inboxOn} from '../../helpers/stores.js';
import type {AcceptResult, Delivery} from '../../../server/sources/source.js';
import {createWebsocketSource, type Gap, type WebsocketSource, type WebsocketSourceOptions} from '../../../server/sources/websocket/index.js';
import {openSqlStore} from '../../../server/store/open.js';
import {createWebexClient} from '../../../source/webex/client.js';
import type {World} from '../../sandbox/helpers.js';

export interface Replica {
	source: WebsocketSource;
	inbox: Inbox;
	/** Every accept call, in order, with its answer. */
	accepted: Array<{delivery: Delivery; result: AcceptResult}>;
	gaps: Gap[];
	start(): Promise<void>;
	/** Message ids accepted as new, in order. */
	received(): string[];
	duplicates(): string[];
}

/** One replica on the database at `url`, with its own connection to it, as a separate process would have. */
export async function replica(t: ExecutionContext, world: World, url: string, options: Partial<WebsocketSourceOptions> = {}): Promise<Replica> {
	const store = await openSqlStore(url);
	const inbox = await inboxOn(store);
	const accepted: Replica['accepted'] = [];
	const gaps: Gap[] = [];
	const token = options.token ?? world.bot.token;
	const webex = createWebexClient({baseUrl: world.sandbox.url, token, retries: 2, minBackoffMs: 10, maxBackoffMs: 50});
	const source = createWebsocketSource({
		token,
		catalogUrl: world.sandbox.websocket.catalogUrl,
		deviceName: 'globobot',
		webex,
		store,
		mercury: {minBackoffMs: 20, maxBackoffMs: 200},
		onGap: gap => gaps.push(gap),
		...options,
	});
	// Stopping twice is harmless; teardown stops whatever a test left running.
	t.teardown(async () => {
		await source.stop();
		await store.close();
	});
	const by = (result: AcceptResult) => () => accepted.filter(entry => entry.result === result).map(entry => entry.delivery.messageId);
	return {
		source,
		inbox,
		accepted,
		gaps,
		received: by('received'),
		duplicates: by('duplicate'),
		async start() {
			await source.start(async delivery => {
				let result: AcceptResult;
				try {
					result = (await inbox.record(delivery)) ? 'received' : 'duplicate';
				} catch {
					result = 'unavailable';
				}
				accepted.push({delivery, result});
				return result;
			});
		},
	};
}
