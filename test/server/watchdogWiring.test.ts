// The watchdog inside a running listener: Webex auto-disabled the listener's
// webhook (and someone else's) while it was down; within one check of its
// start the listener's own is active again, the foreign one untouched, with a
// warning logged, the gauge and the counter on /metrics, and catch-up asked
// for a pass.
import {Writable} from 'node:stream';
import test from 'ava';
import {loadConfig} from '../../source/config.js';
import {startSandbox, seedDemo} from '../../source/sandbox/index.js';
import {createWebexClient} from '../../source/webex/client.js';
import {startListener} from '../../server/listener.js';
import {createLogger} from '../../server/logger.js';
import {sqliteBackend} from '../helpers/databases.js';
import {freePort, waitFor} from '../helpers/poll.js';
import {listenerEnv, secret, startWorld, urlOf} from './harness.js';

function capturingLogger() {
	const lines: Array<Record<string, unknown>> = [];
	const destination = new Writable({
		write(chunk, _encoding, done) {
			for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
			done();
		},
	});
	return {logger: createLogger({level: 'info', destination}), lines};
}

test('an auto-disabled webhook of this listener is reactivated within one check; a foreign inactive one is left alone', async t => {
	const sandbox = await startSandbox({autoDisableThreshold: 1});
	t.teardown(() => sandbox.close());
	const demo = seedDemo(sandbox);
	const world = {...(await startWorld(t, sqliteBackend)), ...demo, sandbox};
	const port = await freePort();
	const ourTarget = `http://127.0.0.1:${port}/wtwebhook`;
	const webex = createWebexClient({baseUrl: sandbox.url, token: demo.bot.token, retries: 0});
	const ours = await webex.webhooks.create({name: 'globobot', targetUrl: ourTarget, resource: 'messages', event: 'created', secret});
	const foreign = await webex.webhooks.create({name: 'theirs', targetUrl: 'http://127.0.0.1:9/other', resource: 'messages', event: 'created'});
	// The listener is down: the delivery fails, and Webex disables both.
	await sandbox.sendMessage(demo.alice.token, {roomId: demo.aliceDirect.id, text: 'acct100'});
	await sandbox.idle();
	t.deepEqual(sandbox.webhooks().map(webhook => webhook.status), ['inactive', 'inactive']);

	const {logger, lines} = capturingLogger();
	const config = loadConfig({}, listenerEnv(world, {PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, GLOBOBOT_WEBHOOK_CHECK: '1h'}));
	const listener = await startListener(config, {logger, pollMs: 200});
	t.teardown(() => listener.close());

	// The first check runs at start; the next would be an hour later.
	await waitFor('the reactivation', () => sandbox.webhooks().find(webhook => webhook.id === ours.id)?.status, status => status === 'active', 5000);
	t.is(sandbox.webhooks().find(webhook => webhook.id === foreign.id)?.status, 'inactive', 'never touches a webhook that targets something else');
	await waitFor('the warning', () => lines, logged => logged.some(line => line['outcome'] === 'webhook-reactivated'));
	const warning = lines.find(line => line['outcome'] === 'webhook-reactivated');
	t.like(warning, {level: 40, webhookId: ours.id, targetUrl: ourTarget});
	t.like(listener.watchdog?.(), {intervalMs: 3_600_000, reactivated: 1, counts: {active: 1, inactive: 1}, warnings: []});

	const metrics = await (await fetch(`${urlOf(listener)}/metrics`)).text();
	t.regex(metrics, /^globobot_webhooks\{status="active"\} 1$/m);
	t.regex(metrics, /^globobot_webhooks\{status="inactive"\} 1$/m);
	t.regex(metrics, /^globobot_webhook_reactivations_total 1$/m);

	// Delivered again: the question Alice asks now is answered (and catch-up answered the one asked while it was down).
	await sandbox.sendMessage(demo.alice.token, {roomId: demo.aliceDirect.id, text: 'acct100'});
	await waitFor('the replies', () => sandbox.messages({roomId: demo.aliceDirect.id}).filter(message => message.personId === demo.bot.person.id), replies => replies.length === 2);
});

test('a webhook Webex disables while the listener runs is reactivated at the next check, and catch-up answers the question it missed', async t => {
	const sandbox = await startSandbox({autoDisableThreshold: 1});
	t.teardown(() => sandbox.close());
	const demo = seedDemo(sandbox);
	const world = {...(await startWorld(t, sqliteBackend)), ...demo, sandbox};
	const listener = await startListener(loadConfig({}, listenerEnv(world, {GLOBOBOT_WEBHOOK_CHECK: '1s'})), {logger: capturingLogger().logger, pollMs: 200});
	t.teardown(() => listener.close());
	const webex = createWebexClient({baseUrl: sandbox.url, token: demo.bot.token, retries: 0});
	await webex.webhooks.create({name: 'globobot', targetUrl: listener.sources().find(source => source.targetUrl)!.targetUrl!, resource: 'messages', event: 'created', secret});
	// The next delivery is lost on the way: Webex counts the failure and disables the webhook.
	sandbox.faults.add({target: 'delivery', drop: true, times: 1});
	const question = await sandbox.sendMessage(demo.alice.token, {roomId: demo.aliceDirect.id, text: 'acct100'});
	await sandbox.idle();
	t.is(sandbox.webhooks()[0]?.status, 'inactive');
	const botReplies = () => sandbox.messages({roomId: demo.aliceDirect.id}).filter(message => message.personId === demo.bot.person.id);
	await waitFor('the reply catch-up brings', botReplies, replies => replies.length === 1, 10_000);
	t.is(sandbox.webhooks()[0]?.status, 'active');
	t.like(listener.watchdog?.(), {reactivated: 1});
	t.true(sandbox.deliveries().filter(delivery => delivery.messageId === question.id).every(delivery => !delivery.ok), 'the question itself was never delivered');
});

test('GLOBOBOT_WEBHOOK_CHECK=0 turns the watchdog off; no webhook for this listener is a warning', async t => {
	const world = await startWorld(t, sqliteBackend);
	const off = await startListener(loadConfig({}, listenerEnv(world, {GLOBOBOT_WEBHOOK_CHECK: '0'})), {logger: capturingLogger().logger});
	t.teardown(() => off.close());
	t.is(off.watchdog, undefined);
	const {logger, lines} = capturingLogger();
	const on = await startListener(loadConfig({}, listenerEnv(world, {GLOBOBOT_WEBHOOK_CHECK: '60s'})), {logger});
	t.teardown(() => on.close());
	await waitFor('the warning', () => lines, logged => logged.some(line => line['outcome'] === 'webhook-no-webhook'));
	t.regex(String(lines.find(line => line['outcome'] === 'webhook-no-webhook')?.['msg']), /^no active webhook delivers messages to http:\/\/127\.0\.0\.1:\d+\/wtwebhook$/);
});

test('a bad GLOBOBOT_WEBHOOK_CHECK is a one-line configuration error', t => {
	for (const value of ['60', '0.5s', 'soon', '2d']) {
		t.throws(() => loadConfig({}, {GLOBOBOT_WEBHOOK_CHECK: value}), {message: /^GLOBOBOT_WEBHOOK_CHECK must be a duration from 1s to 1d/});
	}
	t.is(loadConfig({}, {}).webhookCheckMs, 60_000);
	t.is(loadConfig({}, {GLOBOBOT_WEBHOOK_CHECK: '5m'}).webhookCheckMs, 300_000);
});

