// `globobot-admin events …` through the compiled CLI, against the sandbox and
// a `serve` (or a listener) running on the same database: a failed event is found, shown
// with its reason, retried once into exactly one reply; `tail` follows a
// question from pending to done and stops on SIGINT.
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import test from 'ava';
import {backends} from '../helpers/databases.js';
import {runCli} from '../helpers/cli.js';
import {startServe} from '../helpers/serve.js';
import {ask, botMessages, registerWebhook, startTestListener, startWorld, targetOf, waitFor, waitForBotMessages, type World} from '../server/harness.js';

const cliEnv = (world: World) => ({DATABASE_URL: world.databaseUrl, GLOBOBOT_HOME: world.home});

interface EventJson {
	id: string;
	state: string;
	attempts: number;
	outcome: string | null;
	lastError: string | null;
	source: string;
}

async function listEvents(world: World, ...args: string[]): Promise<EventJson[]> {
	const result = await runCli(['events', 'list', '--json', ...args], cliEnv(world));
	if (result.code !== 0) throw new Error(result.stderr);
	return JSON.parse(result.stdout) as EventJson[];
}

for (const backend of backends) {
	test(`${backend.name}: a failed event is listed with its reason, shown, and retried once into exactly one reply`, async t => {
		const world = await startWorld(t, backend);
		const serve = await startServe(t, world);
		await registerWebhook(world, serve.targetUrl);
		// Webex refuses the bot's reply once (403): the event ends failed, nothing sent.
		world.sandbox.faults.add({method: 'POST', path: '/messages', status: 403, times: 1});
		const question = await ask(world, 'alice', world.aliceDirect.id, 'what is the balance for acct100?');

		const [failed] = await waitFor('a failed event', async () => listEvents(world, '--state', 'failed'), events => events.length === 1);
		t.like(failed, {id: question.id, state: 'failed', outcome: 'webex-unauthorised', source: 'webhook', attempts: 1});
		t.is(botMessages(world).length, 0);

		const listed = await runCli(['events', 'list', '--since', '1h'], cliEnv(world));
		t.is(listed.code, 0, listed.stderr);
		t.regex(listed.stdout, /^AGE +STATE +TRIES +SOURCE +OUTCOME \/ LAST ERROR +ID$/m);
		t.regex(listed.stdout, new RegExp(`failed +1 +webhook +webex-unauthorised +${question.id}`));

		const shown = await runCli(['events', 'show', question.id], cliEnv(world));
		t.is(shown.code, 0, shown.stderr);
		t.regex(shown.stdout, /state {5}failed/);
		t.regex(shown.stdout, /outcome {3}webex-unauthorised/);
		t.regex(shown.stdout, /asked by {2}alice@globomantics\.com in a direct room/);
		t.regex(shown.stdout, /replies {3}none sent/);
		t.regex(shown.stdout, new RegExp(`events retry ${question.id}`));
		t.false(/40\.00|what is the balance/.test(shown.stdout + listed.stdout), 'neither the question nor a figure is printed');

		const retried = await runCli(['events', 'retry', question.id], cliEnv(world));
		t.is(retried.code, 0, retried.stderr);
		t.regex(retried.stdout, /retried .* \(was webex-unauthorised after 1 attempt\): pending again/);
		const replies = await waitForBotMessages(world, 1);
		t.is(replies.length, 1, 'one reply, not two');
		t.regex(replies[0]?.text ?? '', /balance for ACCT100: 40\.00 USD/);
		const [done] = await waitFor('the event done', async () => listEvents(world), events => events[0]?.state === 'done');
		t.like(done, {outcome: 'replied'});

		const again = await runCli(['events', 'retry', question.id, '--json'], cliEnv(world));
		t.is(again.code, 1);
		t.deepEqual(JSON.parse(again.stdout), {retried: [], failed: [{id: question.id, error: 'not failed (it is done)'}]});
		const history = await runCli(['events', 'show', question.id, '--json'], cliEnv(world));
		const detail = JSON.parse(history.stdout) as {actions: Array<{action: string; detail: string}>; replyIds: string[]};
		t.is(detail.actions.length, 1, 'the retry is recorded once');
		t.like(detail.actions[0], {action: 'retry', detail: 'was failed: webex-unauthorised after 1 attempt'});
		t.is(detail.replyIds.length, 1);
		t.is(botMessages(world).length, 1);
	});
}

test('tail follows a question from pending to done, then stops on SIGINT with exit code 0', async t => {
	const world = await startWorld(t, backends[0]!);
	const listener = await startTestListener(t, world);
	await registerWebhook(world, targetOf(listener));
	// Created before tail starts, so the listener has made its inbox.
	await listEvents(world);
	const child = spawn(process.execPath, ['dist/cli.js', 'events', 'tail', '--interval', '100'], {env: {PATH: process.env['PATH'] ?? '', ...cliEnv(world)}, stdio: ['ignore', 'pipe', 'pipe']});
	t.teardown(() => {
		if (child.exitCode === null) child.kill('SIGKILL');
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', chunk => (stdout += String(chunk)));
	await new Promise<void>(resolve => {
		child.stderr.on('data', chunk => {
			stderr += String(chunk);
			if (stderr.includes('Ctrl-C stops')) resolve();
		});
	});
	// The reply's POST takes 1.5 s, so the event is still sending at tail's next poll however fast the rest runs.
	world.sandbox.faults.add({method: 'POST', path: '/messages', delayMs: 1500, times: 1});
	const question = await ask(world, 'bob', world.bobDirect.id, 'acct100');
	await waitFor('tail to show the reply', () => stdout, text => new RegExp(`done .*replied +${question.id}`).test(text));
	t.regex(stdout, /^\d\d:\d\d:\d\d {2}(pending|processing|sending) /m, 'the event is shown before it is done');
	const exited = once(child, 'exit');
	child.kill('SIGINT');
	const [code] = await exited;
	t.is(code, 0);
	t.false(stdout.includes('40.00'));
});

test('bad input is one line and exit code 2; an unknown event is exit code 1', async t => {
	const world = await startWorld(t, backends[0]!);
	const since = await runCli(['events', 'list', '--since', 'yesterday'], cliEnv(world));
	t.is(since.code, 2);
	t.regex(since.stderr, /^globobot-admin: --since must be a duration such as 1h or 7d/);
	t.is(since.stderr.trim().split('\n').length, 1);
	const state = await runCli(['events', 'list', '--state', 'lost'], cliEnv(world));
	t.is(state.code, 2);
	const empty = await runCli(['events', 'list'], cliEnv(world));
	t.is(empty.code, 0);
	t.regex(empty.stdout, /no events: no listener has run on/);
	const unknown = await runCli(['events', 'show', 'NOPE'], cliEnv(world));
	t.is(unknown.code, 1);
	t.regex(unknown.stderr, /no events|no event NOPE/);
});
