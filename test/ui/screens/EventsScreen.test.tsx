// The Events screen through real key presses (ink-testing-library), against
// the sandbox and a running listener on a real database: a failed event with
// its reason and the health panel, retried from there with confirmation into
// exactly one reply.
import test from 'ava';
import {render} from 'ink-testing-library';
import {consoleDataOf} from '../../../source/commands/consoleData.js';
import {App} from '../../../source/ui/App.js';
import {createWebexClient} from '../../../source/webex/client.js';
import {openSqlStore} from '../../../server/store/open.js';
import {sqliteBackend} from '../../helpers/databases.js';
import {keys, plain, press, waitForText} from '../../helpers/ink.js';
import {ask, botMessages, registerWebhook, secret, startTestListener, startWorld, targetOf, waitFor, waitForBotMessages} from '../../server/harness.js';
import {overlong, resize} from '../sandboxApp.js';

test('v shows the failed event with its reason and the health panel; r, y retries it once into one reply', async t => {
	const world = await startWorld(t, sqliteBackend);
	const listener = await startTestListener(t, world, {GLOBOBOT_WEBHOOK_CHECK: '1h'});
	await registerWebhook(world, targetOf(listener));
	world.sandbox.faults.add({method: 'POST', path: '/messages', status: 403, times: 1});
	await ask(world, 'alice', world.aliceDirect.id, 'acct100');
	const store = await openSqlStore(world.databaseUrl);
	t.teardown(() => store.close());
	const data = consoleDataOf(store);
	await waitFor('the failed event', async () => data.unanswered(), events => events.some(event => event.state === 'failed'));

	const client = createWebexClient({baseUrl: world.sandbox.url, token: world.bot.token, retries: 0});
	const ui = render(<App client={client} api={{kind: 'sandbox', url: world.sandbox.url}} targetUrl={targetOf(listener)} secrets={[secret]} listener={Promise.resolve(listener)} console={data} />);
	t.teardown(() => ui.unmount());
	resize(ui, 80, 24);
	const {lastFrame, stdin} = ui;
	await waitForText(lastFrame, /NAME +KIND/);
	await press(stdin, 'v');
	let frame = await waitForText(lastFrame, /failed +1 +webex-unauthorised +alice@globomantics\.com/);
	t.regex(frame, /inbox +0 waiting · 0 pending · 1 failed in 24 h/);
	t.regex(frame, /listener +pid \d+ on /);
	t.regex(frame, /watchdog +every 3600s/);
	t.regex(frame, /answers +sqlite \S+crm\.db · stored grants/);
	t.regex(frame, /r retry +Esc back/);
	t.deepEqual(overlong(frame, 80), [], 'nothing wraps at 80 columns');
	await waitForText(lastFrame, /last +delivery \d+s ago · Webex 403 POST \/messages .*trackingId/, 8000);

	await press(stdin, 'r');
	await waitForText(lastFrame, 'Retry this failed event? It goes back to pending, once.');
	await press(stdin, 'n');
	await waitForText(lastFrame, 'r retry');
	t.false(plain(lastFrame()).includes('Retry this failed event?'), 'any other key cancels');
	t.is(botMessages(world).length, 0);

	await press(stdin, 'r');
	await waitForText(lastFrame, 'Retry this failed event?');
	await press(stdin, 'y');
	await waitForText(lastFrame, 'Retried: pending again (was webex-unauthorised)');
	const replies = await waitForBotMessages(world, 1);
	t.is(replies.length, 1);
	frame = await waitForText(lastFrame, 'Nothing unanswered: every event is done.');
	t.regex(frame, /0 failed in 24 h/);

	await press(stdin, keys.escape);
	await waitForText(lastFrame, /NAME +KIND/);
});
