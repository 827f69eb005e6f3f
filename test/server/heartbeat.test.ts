// A running listener is visible in its database (listener_instances): the
// bot, its sources, the watchdog, the last Webex error with its trackingId,
// the account source and the policy; its row goes when it stops.
import test from 'ava';
import {openSqlStore} from '../../server/store/open.js';
import {liveInstances} from '../../server/store/instances.js';
import {backends} from '../helpers/databases.js';
import {registerWebhook, startTestListener, startWorld, targetOf, waitFor, ask} from './harness.js';

for (const backend of backends) {
	test(`${backend.name}: a listener's heartbeat names what the health panel shows, and is removed at close`, async t => {
		const world = await startWorld(t, backend);
		const listener = await startTestListener(t, world, {GLOBOBOT_WEBHOOK_CHECK: '1h'});
		const store = await openSqlStore(world.databaseUrl);
		t.teardown(() => store.close());
		const [instance] = await liveInstances(store);
		t.truthy(instance);
		t.is(instance?.pid, process.pid);
		t.like(instance?.status, {bot: {email: 'globobot@webex.bot'}, policy: 'stored grants + GLOBOBOT_ALLOW 1 entry; group replies dm; limits 30/10m lookups, 10/1h misses'});
		t.regex(instance?.status.accountSource ?? '', /^(sqlite|postgres) /);
		t.true(instance?.status.sources.some(source => source.kind === 'webhook' && source.targetUrl === targetOf(listener)));

		// Webex answers 503 to a reply: the heartbeat names it with Webex's trackingId.
		await registerWebhook(world, targetOf(listener));
		world.sandbox.faults.add({method: 'POST', path: '/messages', status: 503, times: 1});
		await ask(world, 'alice', world.aliceDirect.id, 'acct100');
		const [withError] = await waitFor('the error in the heartbeat', async () => liveInstances(store), rows => rows[0]?.status.lastWebexError !== undefined, 15_000);
		t.like(withError?.status.lastWebexError, {method: 'POST', path: '/messages', status: 503});
		t.regex(withError?.status.lastWebexError?.trackingId ?? '', /\S/);
		t.like(withError?.status.watchdog, {intervalMs: 3_600_000});

		await listener.close();
		t.deepEqual(await liveInstances(store), []);
	});
}
