// A websocket source in a child process, configured from the environment
// like `serve`, for the SIGKILL failover test: prints READY once started and
// ACCEPTED <message id> <result> for each delivery it accepts.
import {inboxOn} from '../../helpers/stores.js';
import {websocketSourceFromConfig} from '../../../server/sources/websocket/index.js';
import {openSqlStore} from '../../../server/store/open.js';
import {loadConfig} from '../../../source/config.js';
import {createWebexClient} from '../../../source/webex/client.js';

const config = loadConfig({events: 'websocket'});
const store = await openSqlStore(config.databaseUrl);
const inbox = await inboxOn(store);
const source = websocketSourceFromConfig(config, {
	webex: createWebexClient({baseUrl: config.webexApiUrl, token: config.webexToken ?? '', retries: 2, minBackoffMs: 10}),
	store,
	holder: 'child',
});
await source.start(async delivery => {
	const result = (await inbox.record(delivery)) ? 'received' : 'duplicate';
	process.stdout.write(`ACCEPTED ${delivery.messageId} ${result}\n`);
	return result;
});
process.stdout.write(`READY ${source.status().live ? 'live' : 'standby'}\n`);
