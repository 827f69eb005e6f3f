// `globobot-admin serve`: refuses to start unsafely, says where it listens,
// warns about risky settings, and stops cleanly on SIGTERM.
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import test from 'ava';
import {ConfigError} from '../../source/config.js';
import {run} from '../../source/commands/serve.js';
import {collectOutput} from '../../source/commands/output.js';
import {CommandError} from '../../source/commands/run.js';
import {silentLogger} from '../../server/logger.js';
import {sqliteBackend} from '../helpers/databases.js';
import {ask, listenerEnv, registerWebhook, startWorld, targetOf, waitForBotMessages} from './harness.js';

/** serve reads process.env (through loadConfig): each test sets exactly the variables it means. */
function withEnv<T>(env: Record<string, string | undefined>, use: () => Promise<T>): Promise<T> {
	const saved = {...process.env};
	for (const key of Object.keys(process.env)) if (/^(WEBEX_|WT_|WEBHOOK_|GLOBOBOT_|DATABASE_URL|PUBLIC_URL|PORT|HOST|LOG_LEVEL)/.test(key)) delete process.env[key];
	Object.assign(process.env, env);
	return use().finally(() => {
		process.env = saved;
	});
}

test.serial('no WEBEX_TOKEN: exit code 2, naming WEBEX_TOKEN', async t => {
	const world = await startWorld(t, sqliteBackend);
	const {WEBEX_TOKEN: _token, ...env} = listenerEnv(world);
	const error = await withEnv(env, async () => t.throwsAsync(run({}, collectOutput()), {instanceOf: CommandError}));
	t.is(error?.exitCode, 2);
	t.regex(error?.message ?? '', /WEBEX_TOKEN/);
});

test.serial('no secret and no --allow-unsigned: refuses (exit code 2)', async t => {
	const world = await startWorld(t, sqliteBackend);
	const {WEBHOOK_SECRET: _secret, ...env} = listenerEnv(world);
	const error = await withEnv(env, async () => t.throwsAsync(run({}, collectOutput()), {instanceOf: CommandError}));
	t.is(error?.exitCode, 2);
	t.regex(error?.message ?? '', /WEBHOOK_SECRET.*--allow-unsigned/);
});

test.serial('a token Webex rejects: a one-line reason naming WEBEX_TOKEN', async t => {
	const world = await startWorld(t, sqliteBackend);
	const error = await withEnv(listenerEnv(world, {WEBEX_TOKEN: 'not-a-real-token'}), async () => t.throwsAsync(run({logger: silentLogger()}, collectOutput()), {instanceOf: ConfigError}));
	t.regex(error?.message ?? '', /^WEBEX_TOKEN was rejected by Webex \(401\)/);
	t.false(error?.message.includes('not-a-real-token'));
});

test.serial('--allow-unsigned with an empty allow list: warns about both, serves, replies', async t => {
	const world = await startWorld(t, sqliteBackend);
	const {WEBHOOK_SECRET: _secret, ...env} = listenerEnv(world, {GLOBOBOT_ALLOW: ''});
	const printed = collectOutput();
	let stop!: () => void;
	const until = new Promise<void>(resolve => {
		stop = resolve;
	});
	const code = await withEnv(env, async () =>
		run({
			allowUnsigned: true,
			logger: silentLogger(),
			until,
			async onListening(listener) {
				const webex = await registerWebhook(world, targetOf(listener));
				t.truthy(webex.id);
				await ask(world, 'alice', world.aliceDirect.id, 'acct100');
				const [reply] = await waitForBotMessages(world, 1, 0);
				t.regex(reply?.text ?? '', /^Sorry/, 'nobody is allowed: a refusal');
				stop();
			},
		}, printed),
	);
	t.is(code, 0);
	const output = printed.stderr;
	t.regex(output, /warning: --allow-unsigned/);
	t.regex(output, /warning: GLOBOBOT_ALLOW is empty: only stored grants/);
	t.regex(output, /globobot listening on 127\.0\.0\.1:\d+ as globobot; metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/);
	t.regex(output, /register this webhook target: http:\/\/127\.0\.0\.1:\d+\/wtwebhook/);
	t.false(output.includes(world.bot.token));
});

test('SIGTERM: stops gracefully with exit code 0', async t => {
	const world = await startWorld(t, sqliteBackend);
	const child = spawn(process.execPath, ['--import', 'tsx', 'cli.tsx', 'serve', '--log-level', 'info'], {
		env: {PATH: process.env['PATH'] ?? '', ...listenerEnv(world, {LOG_LEVEL: 'info'})},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	t.teardown(() => {
		if (child.exitCode === null) child.kill('SIGKILL');
	});
	let stderr = '';
	let stdout = '';
	child.stdout.on('data', chunk => {
		stdout += String(chunk);
	});
	await new Promise<void>((resolve, reject) => {
		child.stderr.on('data', chunk => {
			stderr += String(chunk);
			if (stderr.includes('register this webhook target')) resolve();
		});
		child.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
	});
	const exited = once(child, 'exit');
	child.kill('SIGTERM');
	const [code] = await exited;
	t.is(code, 0);
	// JSON log lines on stdout, none carrying the token or the secret.
	const lines = stdout.trim().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
	t.true(lines.some(line => line['outcome'] === 'stopped'));
	t.false(stdout.includes(world.bot.token));
	t.false(stdout.includes('test-webhook-secret-1'));
});
