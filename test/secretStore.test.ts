// The generated webhook secret and GLOBOBOT_HOME, through the compiled CLI:
// owner-only, never through a symlink, never another user's file.
import {chmodSync, chownSync, existsSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {startSandbox} from '../source/sandbox/index.js';
import {runCli, tempHome} from './helpers/cli.js';

const mode = (file: string) => statSync(file).mode & 0o777;

async function bot(t: ExecutionContext) {
	const sandbox = await startSandbox();
	t.teardown(() => sandbox.close());
	const {token} = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	return {sandbox, env: {WEBEX_API_URL: sandbox.url, WEBEX_TOKEN: token, PUBLIC_URL: 'https://bot.example.com'}};
}

test('webhooks create makes GLOBOBOT_HOME 0700 and the secret 0600', async t => {
	const {env} = await bot(t);
	const home = path.join(tempHome(t), 'home');
	const result = await runCli(['webhooks', 'create'], {...env, GLOBOBOT_HOME: home});
	t.is(result.code, 0, result.stderr);
	t.is(mode(home), 0o700);
	t.is(mode(path.join(home, 'webhook-secret')), 0o600);
});

test('an existing webhook-secret left 0666 is made 0600 by the next command that reads it', async t => {
	const {env} = await bot(t);
	const home = tempHome(t);
	const file = path.join(home, 'webhook-secret');
	writeFileSync(file, 'an-old-generated-secret\n');
	chmodSync(file, 0o666);
	const result = await runCli(['webhooks', 'list'], {...env, GLOBOBOT_HOME: home});
	t.is(result.code, 0, result.stderr);
	t.is(mode(file), 0o600);
});

test('a symlink as webhook-secret is refused, exit 2, and its target neither read nor written', async t => {
	const {sandbox, env} = await bot(t);
	const home = tempHome(t);
	const target = path.join(home, 'attacker-chosen');
	writeFileSync(target, 'attacker-chosen-secret\n', {mode: 0o644});
	symlinkSync(target, path.join(home, 'webhook-secret'));
	const result = await runCli(['webhooks', 'create'], {...env, GLOBOBOT_HOME: home});
	t.is(result.code, 2);
	t.regex(result.stderr, /^globobot-admin: the webhook secret file .*webhook-secret is a symbolic link: refusing to follow it/);
	t.is(sandbox.webhooks().length, 0, 'no webhook signed with a planted secret');
	t.is(readFileSync(target, 'utf8'), 'attacker-chosen-secret\n');
	t.false(result.stderr.includes('attacker-chosen-secret'));
});

test("a webhook-secret owned by another user is refused, exit 2", async t => {
	if (process.getuid?.() !== 0) return t.pass('needs root to give a file to another user');
	const {env} = await bot(t);
	const home = tempHome(t);
	const file = path.join(home, 'webhook-secret');
	writeFileSync(file, 'planted-by-someone-else\n', {mode: 0o600});
	chownSync(file, 4242, 4242);
	const result = await runCli(['webhooks', 'list'], {...env, GLOBOBOT_HOME: home});
	t.is(result.code, 2);
	t.regex(result.stderr, /belongs to another user \(uid 4242\)/);
});

test('accounts import makes GLOBOBOT_HOME 0700 and crm.db 0600; an old 0644 database is tightened with its -wal and -shm', async t => {
	const home = path.join(tempHome(t), 'home');
	const imported = await runCli(['accounts', 'import', 'fixtures/seed/accounts.json'], {GLOBOBOT_HOME: home});
	t.is(imported.code, 0, imported.stderr);
	t.is(mode(home), 0o700);
	t.is(mode(path.join(home, 'crm.db')), 0o600);
	const database = path.join(home, 'crm.db');
	chmodSync(database, 0o644);
	for (const companion of ['-wal', '-shm']) writeFileSync(database + companion, '', {mode: 0o644});
	for (const companion of ['-wal', '-shm']) chmodSync(database + companion, 0o644);
	const listed = await runCli(['accounts', 'list'], {GLOBOBOT_HOME: home});
	t.is(listed.code, 0, listed.stderr);
	t.is(mode(database), 0o600);
	for (const companion of ['-wal', '-shm']) if (existsSync(database + companion)) t.is(mode(database + companion), 0o600, companion);
});

test('accounts list and get create nothing: no home folder, no database, and they say so', async t => {
	const home = path.join(tempHome(t), 'home');
	for (const args of [['accounts', 'list'], ['accounts', 'get', 'acct100']]) {
		const result = await runCli(args, {GLOBOBOT_HOME: home});
		t.is(result.code, 1);
		t.regex(result.stderr, /^globobot-admin: there is no database at .*home\/crm\.db yet/);
	}
	t.false(existsSync(home));
});
