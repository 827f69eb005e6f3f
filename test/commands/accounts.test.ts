// `globobot-admin accounts …` (source/commands/accounts.ts): called directly
// for output, and once through the real CLI for exit codes and stderr.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import test from 'ava';
import {type AccountsOptions, run} from '../../source/commands/accounts.js';
import {collectOutput} from '../../source/commands/output.js';
import {CommandError} from '../../source/commands/run.js';
import {backends, sqliteUrl} from '../helpers/databases.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const seedFile = path.join(root, 'fixtures/seed/accounts.json');

async function accounts(options: AccountsOptions): Promise<{code: number; output: string}> {
	const printed = collectOutput();
	const code = await run(options, printed);
	return {code, output: printed.stdout};
}

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('import, list and get print what a user expects'), async t => {
		const database = await backend.url(t);
		t.deepEqual(await accounts({action: 'import', file: seedFile, database}), {code: 0, output: `imported ${seedFile}: 3 added, 0 updated, 0 unchanged\n`});
		t.is((await accounts({action: 'import', file: seedFile, database})).output, `imported ${seedFile}: 0 added, 0 updated, 3 unchanged\n`);
		const list = await accounts({action: 'list', database});
		t.is(
			list.output,
			['ID          DUE   PAID     BALANCE', 'ACCT100  100.00  60.00   40.00 USD', 'ACCT200   60.00  70.00  -10.00 USD', 'ACCT300    0.00   0.00    0.00 USD', ''].join('\n'),
		);
		const one = await accounts({action: 'get', id: 'acct200', database});
		t.regex(one.output, /^ACCT200 +60\.00 +70\.00 +-10\.00 USD$/m);
	});

	test(name('--json prints money as exact decimal strings'), async t => {
		const database = await backend.url(t);
		const imported = await accounts({action: 'import', file: seedFile, database, json: true});
		t.deepEqual(JSON.parse(imported.output), {file: seedFile, added: 3, updated: 0, unchanged: 0});
		const list = JSON.parse((await accounts({action: 'list', database, json: true})).output) as Array<Record<string, string>>;
		t.deepEqual(
			list.map(({updatedAt, ...rest}) => rest),
			[
				{id: 'ACCT100', due: '100.00', paid: '60.00', balance: '40.00', currency: 'USD'},
				{id: 'ACCT200', due: '60.00', paid: '70.00', balance: '-10.00', currency: 'USD'},
				{id: 'ACCT300', due: '0.00', paid: '0.00', balance: '0.00', currency: 'USD'},
			],
		);
		t.false(Number.isNaN(Date.parse(list[0]!['updatedAt']!)));
		const one = JSON.parse((await accounts({action: 'get', id: 'Acct100', database, json: true})).output) as Record<string, string>;
		t.like(one, {id: 'ACCT100', balance: '40.00'});
	});

	test(name('an unknown id and a bad file are one-line errors with exit code 1'), async t => {
		const database = await backend.url(t);
		await accounts({action: 'import', file: seedFile, database});
		await t.throwsAsync(accounts({action: 'get', id: 'acct999', database}), {instanceOf: CommandError, message: 'no account ACCT999'});
		const bad = path.join(path.dirname(await sqliteUrl(t)), 'bad.csv');
		await writeFile(bad, 'id,due,paid\nACCT1,1.234,0\n');
		const error = await t.throwsAsync(accounts({action: 'import', file: bad, database}), {instanceOf: CommandError});
		t.is(error!.message, `${bad} line 2 (ACCT1, due): more than 2 decimals for USD`);
		t.is((error as CommandError).exitCode, 1);
		t.is((JSON.parse((await accounts({action: 'list', database, json: true})).output) as unknown[]).length, 3, 'the bad file changed nothing');
	});
}

test('sqlite: list and get create nothing: with no database they say so and leave no file behind', async t => {
	const database = await sqliteUrl(t);
	for (const options of [{action: 'list'}, {action: 'get', id: 'acct100'}] as const) {
		const error = await t.throwsAsync(accounts({...options, database}), {instanceOf: CommandError});
		t.regex(error!.message, /there is no database at .*crm\.db yet/);
		t.is((error as CommandError).exitCode, 1);
	}
	t.false(existsSync(database));
	t.false(existsSync(`${database}-wal`));
});

const execFileAsync = promisify(execFile);

async function cli(args: string[], databaseUrl: string): Promise<{code: number; stdout: string; stderr: string}> {
	const env = {...process.env, DATABASE_URL: databaseUrl, GLOBOBOT_HOME: path.dirname(databaseUrl)};
	try {
		const {stdout, stderr} = await execFileAsync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'cli.tsx'), 'accounts', ...args], {cwd: root, env});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failed = error as {code: number; stdout: string; stderr: string};
		return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr};
	}
}

test('through the CLI: exit codes and messages', async t => {
	const database = await backends[0]!.url(t);
	const imported = await cli(['import', seedFile], database);
	t.is(imported.code, 0, imported.stderr);
	t.is(imported.stdout, `imported ${seedFile}: 3 added, 0 updated, 0 unchanged\n`);
	const missing = await cli(['get', 'acct999'], database);
	t.deepEqual(missing, {code: 1, stdout: '', stderr: 'globobot-admin: no account ACCT999\n'});
	const noFile = await cli(['import', path.join(path.dirname(database), 'absent.json')], database);
	t.is(noFile.code, 1);
	t.regex(noFile.stderr, /^globobot-admin: .*absent\.json: no such file\n$/);
});

// cli.tsx declares --database on the program as well as on `accounts <action>`:
// the subcommand's own must win (commander's positional options).
test('through the CLI: --database chooses the database', async t => {
	const database = await sqliteUrl(t);
	const elsewhere = await sqliteUrl(t);
	const imported = await cli(['import', seedFile, '--database', database], elsewhere);
	t.is(imported.code, 0, imported.stderr);
	const listed = await cli(['list', '--json', '--database', database], elsewhere);
	t.is((JSON.parse(listed.stdout) as unknown[]).length, 3);
	const other = await cli(['list', '--json'], elsewhere);
	t.is(other.code, 1);
	t.regex(other.stderr, /there is no database at/);
});

test('through the CLI: a JSON file with a UTF-8 BOM imports; an error quoting the file shows its controls as escapes', async t => {
	const database = await sqliteUrl(t);
	const bom = path.join(path.dirname(database), 'bom.json');
	await writeFile(bom, '\uFEFF{"ACCT1": {"due": 10, "paid": 4}}\n');
	const imported = await cli(['import', bom], database);
	t.is(imported.code, 0, imported.stderr);
	const evil = path.join(path.dirname(database), 'evil.csv');
	await writeFile(evil, 'id,due,paid\n"x\u001B]52;c;cm0gLXJmIH4=\u0007",1,1\n');
	const refused = await cli(['import', evil], database);
	t.is(refused.code, 1);
	t.false(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/.test(refused.stderr), JSON.stringify(refused.stderr));
	t.regex(refused.stderr, /x\\x1b\]52;c;cm0gLXJmIH4=\\x07/);
});
