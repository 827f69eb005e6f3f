// `globobot-admin webhooks test` through the compiled CLI, against the
// sandbox and a listener running on the same database: each step reported,
// the synthetic event cleaned away, a real message proven up to its reply,
// and the failures an operator meets named with what to do.
import test from 'ava';
import {backends} from '../helpers/databases.js';
import {runCli} from '../helpers/cli.js';
import {startServe} from '../helpers/serve.js';
import {ask, botMessages, registerWebhook, secret, startTestListener, startWorld, targetOf, waitForBotMessages, type World} from '../server/harness.js';

function cliEnv(world: World, targetUrl: string, overrides: Record<string, string> = {}) {
	return {
		WEBEX_API_URL: world.sandbox.url,
		WEBEX_TOKEN: world.bot.token,
		WEBHOOK_SECRET: secret,
		DATABASE_URL: world.databaseUrl,
		GLOBOBOT_HOME: world.home,
		PUBLIC_URL: targetUrl.replace(/\/wtwebhook$/, ''),
		...overrides,
	};
}

test('a synthetic delivery to a running serve: unsigned refused, signature accepted, recorded, answered; then gone from the events', async t => {
	const world = await startWorld(t, backends[0]!);
	const serve = await startServe(t, world);
	const result = await runCli(['webhooks', 'test'], cliEnv(world, serve.targetUrl));
	t.is(result.code, 0, result.stdout + result.stderr);
	const lines = result.stdout.trim().split('\n');
	t.regex(lines[0] ?? '', /^testing http:\/\/127\.0\.0\.1:\d+\/wtwebhook with a synthetic delivery$/);
	t.regex(result.stdout, /^✔ refused unsigned: a delivery without a signature is refused \(401\)$/m);
	t.regex(result.stdout, /^✔ signature: accepted, answered 2\d\d in \d+ ms$/m);
	t.regex(result.stdout, /^✔ recorded: in the inbox of sqlite /m);
	t.regex(result.stdout, /^✔ answered: a worker asked Webex for the message .*message-not-found/m);
	t.regex(result.stdout, /a reply is not proven by a synthetic delivery/);
	t.false(result.stdout.includes(secret));
	const events = await runCli(['events', 'list', '--json'], cliEnv(world, serve.targetUrl));
	t.deepEqual(JSON.parse(events.stdout), [], 'the synthetic event does not stay among the failures');
});

test('--message with a real question proves the reply, and the bot still answers once', async t => {
	const world = await startWorld(t, backends[0]!);
	const listener = await startTestListener(t, world);
	await registerWebhook(world, targetOf(listener));
	const question = await ask(world, 'alice', world.aliceDirect.id, 'acct100');
	await waitForBotMessages(world, 1);
	const result = await runCli(['webhooks', 'test', '--message', question.id, '--json'], cliEnv(world, targetOf(listener)));
	t.is(result.code, 0, result.stdout + result.stderr);
	const report = JSON.parse(result.stdout) as {synthetic: boolean; steps: Array<{step: string; ok: boolean; detail: string}>};
	t.false(report.synthetic);
	t.deepEqual(report.steps.map(step => [step.step, step.ok]), [['refused unsigned', true], ['signature', true], ['recorded', true], ['answered', true]]);
	t.regex(report.steps[3]?.detail ?? '', /^replied \(replied, 1 message sent\)$/);
	t.is(botMessages(world).length, 1, 'a redelivery is not answered again');
});

test('the wrong secret, and nothing listening, are named with what to do (exit code 1)', async t => {
	const world = await startWorld(t, backends[0]!);
	const listener = await startTestListener(t, world);
	const wrong = await runCli(['webhooks', 'test'], cliEnv(world, targetOf(listener), {WEBHOOK_SECRET: 'not-the-listeners-secret'}));
	t.is(wrong.code, 1);
	t.regex(wrong.stdout, /^✘ signature: the listener refused the signature \(401\) — the listener's WEBHOOK_SECRET differs/m);
	const nobody = await runCli(['webhooks', 'test'], cliEnv(world, 'http://127.0.0.1:9/wtwebhook'));
	t.is(nobody.code, 1);
	t.regex(nobody.stdout, /^✘ signature: nothing answers at http:\/\/127\.0\.0\.1:9\/wtwebhook .* — start `globobot-admin serve`/m);
	const timeout = await runCli(['webhooks', 'test', '--timeout', 'soon'], cliEnv(world, targetOf(listener)));
	t.is(timeout.code, 2);
	t.regex(timeout.stderr, /^globobot-admin: --timeout must be/);
});
