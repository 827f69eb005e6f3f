// The source as the listener will build it from a Config, feeding its
// observations into a prom-client registry.
import test from 'ava';
import {Registry} from 'prom-client';
import {inboxOn} from '../../helpers/stores.js';
import {websocketObserver, websocketSourceFromConfig} from '../../../server/sources/websocket/index.js';
import {openSqlStore} from '../../../server/store/open.js';
import {loadConfig} from '../../../source/config.js';
import {createWebexClient} from '../../../source/webex/client.js';
import {sqliteBackend} from '../../helpers/databases.js';
import {waitFor} from '../../helpers/poll.js';
import {mention, startWorld} from '../../sandbox/helpers.js';

test('from the config: metrics for connected, frames, acks; the device deleted on a graceful stop when configured', async t => {
	const world = await startWorld(t);
	const config = loadConfig({events: 'websocket'}, {
		GLOBOBOT_HOME: '/tmp/globobot-wiring-test',
		WEBEX_TOKEN: world.bot.token,
		WEBEX_API_URL: world.sandbox.url,
		WEBEX_CATALOG_URL: world.sandbox.websocket.catalogUrl,
		GLOBOBOT_DEVICE_NAME: 'globobot-wiring',
		GLOBOBOT_DELETE_DEVICE: 'yes',
	});
	const store = await openSqlStore(await sqliteBackend.url(t));
	t.teardown(() => store.close());
	const inbox = await inboxOn(store);
	const registry = new Registry();
	const source = websocketSourceFromConfig(config, {
		webex: createWebexClient({baseUrl: config.webexApiUrl, token: config.webexToken!}),
		store,
		observer: websocketObserver({registry}),
	});
	await source.start(async delivery => ((await inbox.record(delivery)) ? 'received' : 'duplicate'));
	t.deepEqual(world.sandbox.websocket.devices().map(device => device.name), ['globobot-wiring']);
	const question = await world.sandbox.sendMessage(world.alice.token, {roomId: world.opsRoom.id, markdown: mention(world, 'acct100')});
	await waitFor('the question', () => inbox.get(question.id), event => event !== undefined);
	await waitFor('its ack', () => world.sandbox.websocket.acks().length, n => n === 1);
	const text = await registry.metrics();
	t.regex(text, /globobot_websocket_connected 1/);
	t.regex(text, /globobot_websocket_leader 1/);
	t.regex(text, /globobot_websocket_frames_total [1-9]/);
	t.regex(text, /globobot_websocket_acks_total 1/);
	t.regex(text, /globobot_websocket_accepted_total\{result="received"\} 1/);
	await source.stop();
	t.deepEqual(world.sandbox.websocket.devices(), []);
	t.regex(await registry.metrics(), /globobot_websocket_connected 0/);
});
