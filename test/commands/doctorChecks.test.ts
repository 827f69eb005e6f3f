// doctor's checks of the running service, through the compiled CLI: no
// listener at PUBLIC_URL is a ✘ (it printed all ✔ with none running), and so
// are an inbox nobody works through and events that failed in the last 24 h.
import test from 'ava';
import {openSqlStore} from '../../server/store/open.js';
import {createInbox} from '../../server/store/inbox.js';
import {listenerMigrations} from '../../server/store/migrations/index.js';
import {migrateStore} from '../../source/sql/migrate.js';
import {runCli} from '../helpers/cli.js';
import {freePort} from '../helpers/poll.js';
import {openDatabase} from '../../source/crm/database.js';
import {sqliteBackend, sqliteUrl} from '../helpers/databases.js';
import {listenerEnv, startTestListener, startWorld} from '../server/harness.js';

interface Check {
	name: string;
	ok: boolean;
	detail: string;
	fix?: string;
}

const doctor = async (env: Record<string, string>) => {
	const result = await runCli(['doctor', '--json'], env);
	return {code: result.code, checks: new Map((JSON.parse(result.stdout) as Check[]).map(check => [check.name, check]))};
};

test('an empty CRM is a ✘, not a ✔', async t => {
	const world = await startWorld(t, sqliteBackend);
	const empty = await sqliteUrl(t);
	await (await openDatabase(empty)).close();
	const result = await doctor({...listenerEnv(world), DATABASE_URL: empty});
	t.like(result.checks.get('database'), {ok: false});
	t.regex(result.checks.get('database')?.detail ?? '', /: 0 accounts, so nobody gets a balance$/);
	t.regex(result.checks.get('database')?.fix ?? '', /accounts import FILE/);
	const seeded = await doctor(listenerEnv(world));
	t.like(seeded.checks.get('database'), {ok: true});
});

test('no listener answering at PUBLIC_URL is a ✘ with what to do', async t => {
	const world = await startWorld(t, sqliteBackend);
	const port = await freePort();
	const result = await runCli(['doctor'], {...listenerEnv(world), PUBLIC_URL: `http://127.0.0.1:${port}`});
	t.is(result.code, 1);
	t.regex(result.stdout, new RegExp(`^✘ listener: nothing answers at http://127\\.0\\.0\\.1:${port}/healthz \\(.+\\) — start \`globobot-admin serve\``, 'm'));
	t.regex(result.stdout, /^✔ inbox: empty: no listener has run on this database yet$/m);
});

test('a running listener: ✔ listener, inbox and failed events; a failure in the last 24 h and an inbox nobody works through are ✘', async t => {
	const world = await startWorld(t, sqliteBackend);
	const listener = await startTestListener(t, world, {GLOBOBOT_WEBHOOK_CHECK: '0'});
	const env = {...listenerEnv(world), PUBLIC_URL: new URL(listener.sources()[0]!.targetUrl!).origin};
	const healthy = await doctor(env);
	t.like(healthy.checks.get('listener'), {ok: true});
	t.regex(healthy.checks.get('listener')?.detail ?? '', /^http:\/\/127\.0\.0\.1:\d+\/healthz answers \(\d+ ms\)$/);
	t.like(healthy.checks.get('inbox'), {ok: true, detail: '0 unfinished (0 waiting, 0 being retried); nothing received yet'});
	t.like(healthy.checks.get('failed events'), {ok: true, detail: 'none in the last 24 h'});
	t.like(healthy.checks.get('audit chain'), {ok: true});
	await listener.close();

	// With the listener gone: an event that failed an hour ago, and one received five minutes ago that nobody took.
	const store = await openSqlStore(world.databaseUrl);
	t.teardown(() => store.close());
	await migrateStore(store, listenerMigrations);
	const earlier = createInbox(store, () => Date.now() - 5 * 60_000);
	await earlier.record({messageId: 'FAILED', roomId: 'R', personId: 'P'});
	await earlier.claim('A', 1000);
	await createInbox(store, () => Date.now() - 3_600_000).fail('FAILED', 'A', 'message-not-found', 'message-not-found');
	await earlier.record({messageId: 'STUCK', roomId: 'R', personId: 'P'});

	const sick = await doctor(env);
	t.is(sick.code, 1);
	t.like(sick.checks.get('listener'), {ok: false});
	t.like(sick.checks.get('inbox'), {ok: false});
	t.regex(sick.checks.get('inbox')?.detail ?? '', /^1 event due for over 2m and not taken \(1 unfinished; last delivery 5m ago\)$/);
	t.regex(sick.checks.get('inbox')?.fix ?? '', /no listener is working on this database/);
	t.like(sick.checks.get('failed events'), {ok: false, detail: '1 event ended without a reply in the last 24 h'});
	t.regex(sick.checks.get('failed events')?.fix ?? '', /events list --state failed --since 24h/);
});
