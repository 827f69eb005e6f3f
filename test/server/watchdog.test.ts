import test from 'ava';
import {startSandbox} from '../../source/sandbox/index.js';
import {createWebexClient} from '../../source/webex/client.js';
import {checkWebhooks, startWatchdog, type WatchdogReport} from '../../server/watchdog.js';
import {waitFor} from '../helpers/poll.js';

const ourTarget = 'http://127.0.0.1:9/wtwebhook';

async function world(t: import('ava').ExecutionContext) {
	// One failed delivery disables a webhook in this sandbox.
	const sandbox = await startSandbox({autoDisableThreshold: 1});
	t.teardown(() => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const alice = sandbox.createPerson({displayName: 'Alice', email: 'alice@globomantics.com'});
	const webex = createWebexClient({baseUrl: sandbox.url, token: bot.token, retries: 0});
	return {sandbox, bot, alice, webex};
}

test('an auto-disabled webhook of ours is reactivated; a foreign inactive one is left alone', async t => {
	const {sandbox, bot, alice, webex} = await world(t);
	const ours = await webex.webhooks.create({name: 'ours', targetUrl: ourTarget, resource: 'messages', event: 'created'});
	const foreign = await webex.webhooks.create({name: 'someone else', targetUrl: 'http://127.0.0.1:9/other', resource: 'messages', event: 'created'});
	// Nobody listens on port 9: the delivery fails and both webhooks go inactive.
	await sandbox.sendMessage(alice.token, {toPersonId: bot.person.id, text: 'acct100'});
	await sandbox.idle();
	t.deepEqual(sandbox.webhooks().map(webhook => webhook.status), ['inactive', 'inactive']);

	const report = await checkWebhooks(webex, ourTarget);
	t.deepEqual(report.reactivated, [ours.id]);
	t.deepEqual(report.counts, {active: 1, inactive: 1});
	const statuses = Object.fromEntries(sandbox.webhooks().map(webhook => [webhook.id, webhook.status]));
	t.is(statuses[ours.id], 'active');
	t.is(statuses[foreign.id], 'inactive', 'never touches a webhook that targets something else');
});

test('it warns when no webhook targets this listener, and when two would deliver the same message', async t => {
	const {webex} = await world(t);
	const none = await checkWebhooks(webex, ourTarget);
	t.deepEqual(none.warnings, [{kind: 'no-webhook', targetUrl: ourTarget}]);

	const first = await webex.webhooks.create({name: 'a', targetUrl: ourTarget, resource: 'messages', event: 'created'});
	const filtered = await webex.webhooks.create({name: 'b', targetUrl: ourTarget, resource: 'messages', event: 'created', filter: 'mentionedPeople=me'});
	const twice = await checkWebhooks(webex, ourTarget);
	t.deepEqual(twice.warnings, [{kind: 'duplicate-delivery', ids: [first.id, filtered.id].sort()}]);
});

test('the running watchdog checks at start and on its interval, and reports a Webex outage instead of throwing', async t => {
	const {sandbox, webex} = await world(t);
	const reports: WatchdogReport[] = [];
	const errors: unknown[] = [];
	const watchdog = startWatchdog({webex, targetUrl: ourTarget, intervalMs: 50, onReport: report => reports.push(report), onError: error => errors.push(error)});
	t.teardown(() => watchdog.stop());
	// One check at start, then one per interval.
	await waitFor('two checks', () => reports.length, count => count >= 2);
	await sandbox.close();
	await watchdog.check();
	t.true(errors.length >= 1);
	t.truthy(watchdog.last);
});

test('an interval of 0 turns it off', async t => {
	const {webex} = await world(t);
	const reports: WatchdogReport[] = [];
	const watchdog = startWatchdog({webex, targetUrl: ourTarget, intervalMs: 0, onReport: report => reports.push(report), onError: () => undefined});
	await new Promise(resolve => setTimeout(resolve, 100));
	watchdog.stop();
	t.is(reports.length, 0);
});
