// `globobot-admin access …` (source/commands/access.ts): called directly for
// output on both backends, then through the compiled CLI for exit codes and stderr.
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import {type AccessDeps, type AccessOptions, run} from '../../source/commands/access.js';
import {CommandError} from '../../source/commands/run.js';
import {requesterOf} from '../../server/policy/requester.js';
import {sqlThrottle} from '../../server/policy/throttle.js';
import {openSqlStore} from '../../server/store/open.js';
import {runCli, tempHome} from '../helpers/cli.js';
import {backends} from '../helpers/databases.js';

async function access(options: AccessOptions, deps?: AccessDeps): Promise<{code: number; output: string}> {
	let output = '';
	const code = await run(options, {write: text => (output += text)}, deps);
	return {code, output};
}

const kate = 'kate@globomantics.com';

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('grant, list, check and revoke print what a user expects'), async t => {
		const database = await backend.url(t);
		t.deepEqual(await access({action: 'grant', subject: 'Kate@Globomantics.com', scopes: ['acct100', 'ACCT2*'], database}), {code: 0, output: `granted ${kate} ACCT100\ngranted ${kate} ACCT2*\n`});
		t.is((await access({action: 'grant', subject: kate, scopes: ['ACCT100'], database})).output, `${kate} already has ACCT100\n`);
		t.is(
			(await access({action: 'list', database})).output,
			['SUBJECT                SCOPE    SOURCE', `${kate}  ACCT100  grant`, `${kate}  ACCT2*   grant`, ''].join('\n'),
		);
		const check = await access({action: 'check', email: kate, accounts: ['acct100', 'acct200', 'acct999'], database});
		t.is(check.code, 1, 'not all allowed');
		t.is(
			check.output,
			['ACCOUNT  DECISION  RULE', `ACCT100  allowed   grant ${kate} ACCT100`, `ACCT200  allowed   grant ${kate} ACCT2*`, 'ACCT999  denied    default deny', ''].join('\n'),
		);
		t.is((await access({action: 'check', email: kate, accounts: ['ACCT100'], database})).code, 0, 'all allowed');
		t.is((await access({action: 'revoke', subject: kate, scopes: ['ACCT2*', 'ACCT9'], database})).output, `revoked ${kate} ACCT2*\n${kate} had no grant ACCT9\n`);
		t.is((await access({action: 'check', email: kate, accounts: ['ACCT200'], database})).code, 1);
		t.is((await access({action: 'revoke', subject: kate, database})).output, `revoked ${kate} ACCT100\n`);
		await t.throwsAsync(access({action: 'revoke', subject: kate, database}), {instanceOf: CommandError, message: `${kate} has no grants`});
		t.is((await access({action: 'list', database})).output, 'no grants: nobody may see any account (add one with: globobot-admin access grant SUBJECT SCOPE…)\n');
	});

	test(name('check follows the segment from the account source, and --segment hints'), async t => {
		const database = await backend.url(t);
		await access({action: 'grant', subject: '@globomantics.com', scopes: ['segment:branch-042'], database});
		const segments = async (ids: readonly string[]) => new Map(ids.filter(id => id === 'ACCT100').map(id => [id, 'Branch-042']));
		const checked = await access({action: 'check', email: kate, accounts: ['acct100', 'acct200'], json: true, database}, {segments});
		t.is(checked.code, 1);
		t.deepEqual(JSON.parse(checked.output), [
			{accountId: 'ACCT100', allowed: true, rule: 'grant @globomantics.com segment:branch-042', segment: 'Branch-042'},
			{accountId: 'ACCT200', allowed: false, rule: 'default deny'},
		]);
		const hinted = await access({action: 'check', email: kate, accounts: ['acct100', 'acct200'], segment: ['acct100=branch-1', 'ACCT200=branch-042'], database}, {segments});
		t.regex(hinted.output, /^ACCT100 +branch-1 +denied +default deny$/m, 'a hint comes first');
		t.regex(hinted.output, /^ACCT200 +branch-042 +allowed +grant @globomantics\.com segment:branch-042$/m);
	});

	test(name("check reads the embedded store's segment"), async t => {
		const database = await backend.url(t);
		await access({action: 'grant', subject: kate, scopes: ['segment:north'], database});
		const store = await openSqlStore(database);
		await store.database.accounts.upsertMany([{id: 'ACCT100', due: 100, paid: 0, currency: 'USD'}]);
		t.is((await access({action: 'check', email: kate, accounts: ['ACCT100'], database})).code, 1, 'no segment yet: denied');
		await store.database.accounts.upsertMany([{id: 'ACCT100', due: 100, paid: 0, currency: 'USD', segment: 'North'}]);
		await store.close();
		const checked = await access({action: 'check', email: kate, accounts: ['ACCT100', 'ACCT200'], database});
		t.regex(checked.output, /^ACCT100 +North +allowed +grant kate@globomantics\.com segment:north$/m);
		t.regex(checked.output, /^ACCT200 +- +denied +default deny$/m);
	});

	test(name('import replaces the set all or nothing; --dry-run prints the difference and changes nothing'), async t => {
		const database = await backend.url(t);
		const file = path.join(tempHome(t), 'policy.json');
		await access({action: 'grant', subject: kate, scopes: ['ACCT100'], database});
		await access({action: 'grant', subject: 'bob@globomantics.com', scopes: ['all'], database});
		await writeFile(file, JSON.stringify({grants: [{subject: kate, scopes: ['acct100']}, {subject: '@globomantics.com', scopes: ['segment:branch-042', 'Segment:BRANCH-042']}]}));
		const dry = await access({action: 'import', file, dryRun: true, database});
		t.is(dry.output, `+ @globomantics.com segment:branch-042\n- bob@globomantics.com all\ndry run, nothing changed: ${file} would give 1 added, 1 removed, 1 unchanged\n`);
		t.is(JSON.parse((await access({action: 'list', json: true, database})).output).length, 2, 'still the old set');
		t.deepEqual(JSON.parse((await access({action: 'import', file, json: true, database})).output), {
			file,
			dryRun: false,
			added: [{subject: '@globomantics.com', scope: 'segment:branch-042'}],
			removed: [{subject: 'bob@globomantics.com', scope: 'all'}],
			unchanged: 1,
		});
		// One bad scope anywhere: nothing changes.
		await writeFile(file, JSON.stringify({grants: [{subject: 'eve@globomantics.com', scopes: ['all']}, {subject: kate, scopes: ['ACCT 100']}]}));
		const error = await t.throwsAsync(access({action: 'import', file, database}), {instanceOf: CommandError});
		t.is(error!.message, `${file}: grants[1].scopes[0]: scope "ACCT 100" must be all, an account id, an id pattern with * or segment:NAME`);
		t.is((error as CommandError).exitCode, 2);
		t.deepEqual(JSON.parse((await access({action: 'list', json: true, database})).output), [
			{subject: '@globomantics.com', scope: 'segment:branch-042', source: 'stored'},
			{subject: kate, scope: 'ACCT100', source: 'stored'},
		]);
	});

	test(name("unblock clears a requester's counts"), async t => {
		const database = await backend.url(t);
		const store = await openSqlStore(database);
		t.teardown(async () => store.close());
		const throttle = await sqlThrottle(store, {lookups: {max: 30, windowMs: 600_000}, misses: {max: 10, windowMs: 3_600_000}});
		const requester = requesterOf('P', kate);
		t.true((await throttle.take(requester, 10, 'Q1')).allowed);
		await throttle.recordMisses(requester, 10);
		t.false((await throttle.take(requester, 1, 'Q2')).allowed);
		t.is((await access({action: 'unblock', email: 'KATE@globomantics.com', database})).output, `unblocked ${kate}\n`);
		t.is((await access({action: 'unblock', email: kate, database})).output, `${kate} had nothing counted against the limits\n`);
		t.true((await throttle.take(requester, 1, 'Q3')).allowed);
	});
}

test('malformed subjects, scopes and addresses are one-line usage errors, before any database is opened', async t => {
	const database = '/nonexistent/folder/that/cannot/be/created/crm.db';
	const cases: Array<[AccessOptions, string]> = [
		[{action: 'grant', subject: '\u212Aate@globomantics.com', scopes: ['all']}, 'subject "\u212Aate@globomantics.com" must be an email (plain ASCII, exactly one @), an @domain or *'],
		[{action: 'grant', subject: 'mallory@example.com@globomantics.com', scopes: ['all']}, 'subject "mallory@example.com@globomantics.com" must be an email (plain ASCII, exactly one @), an @domain or *'],
		[{action: 'grant', subject: kate, scopes: ['*']}, 'scope "*" matches every account: write all'],
		[{action: 'grant', subject: kate, scopes: []}, 'access grant needs at least one SCOPE (all, an account id, a pattern like ACCT1*, or segment:NAME)'],
		[{action: 'revoke', subject: '@', scopes: []}, 'subject "@" is not an @domain (plain ASCII, like @globomantics.com)'],
		[{action: 'check', email: 'kate', accounts: ['ACCT1']}, '"kate" is not a plain email address (ASCII, exactly one @)'],
		[{action: 'check', email: kate, accounts: ['ACCT1'], segment: ['ACCT1']}, '--segment "ACCT1" must be ACCOUNT=SEGMENT'],
		[{action: 'unblock', email: 'a@b@c.com'}, '"a@b@c.com" is not a plain email address (ASCII, exactly one @)'],
		[{action: 'grant', subject: '\u202Eevil@x.com', scopes: ['all']}, 'subject "\\u202eevil@x.com" must be an email (plain ASCII, exactly one @), an @domain or *'],
	];
	for (const [options, message] of cases) {
		const error = await t.throwsAsync(access({...options, database}), {instanceOf: CommandError}, message);
		t.is(error!.message, message);
		t.is((error as CommandError).exitCode, 2);
	}
});

// Through the compiled CLI, as an operator would: real argv, exit codes, stdout and stderr apart.
for (const backend of backends) {
	test(`${backend.name}: the compiled CLI: grant, list --json, check exit codes, revoke, import --dry-run, unblock, malformed → exit 2`, async t => {
		const home = tempHome(t);
		const env = {DATABASE_URL: await backend.url(t), GLOBOBOT_HOME: home, GLOBOBOT_ALLOW: 'auditor@globomantics.com'};
		const cli = (...args: string[]) => runCli(['access', ...args], env);

		t.like(await cli('grant', kate, 'ACCT100'), {code: 0, stdout: `granted ${kate} ACCT100\n`, stderr: ''});
		t.deepEqual(JSON.parse((await cli('list', '--json')).stdout), [
			{subject: kate, scope: 'ACCT100', source: 'stored'},
			{subject: 'auditor@globomantics.com', scope: 'all', source: 'GLOBOBOT_ALLOW'},
		]);
		t.like(await cli('check', kate, 'acct100'), {code: 0});
		const mixed = await cli('check', kate, 'acct100', 'acct200');
		t.is(mixed.code, 1);
		t.regex(mixed.stdout, /^ACCT200 +denied +default deny$/m);
		t.regex((await cli('check', 'auditor@globomantics.com', 'ACCT777')).stdout, /^ACCT777 +allowed +GLOBOBOT_ALLOW auditor@globomantics\.com$/m);
		t.like(await cli('revoke', kate, 'ACCT100'), {code: 0, stdout: `revoked ${kate} ACCT100\n`});
		t.like(await cli('check', kate, 'acct100'), {code: 1});
		t.like(await cli('revoke', kate), {code: 1, stdout: '', stderr: `globobot-admin: ${kate} has no grants\n`});

		const file = path.join(home, 'policy.json');
		await writeFile(file, JSON.stringify({grants: [{subject: '*', scopes: ['segment:public']}]}));
		t.like(await cli('import', file, '--dry-run'), {code: 0, stdout: `+ * segment:public\ndry run, nothing changed: ${file} would give 1 added, 0 removed, 0 unchanged\n`});
		t.deepEqual(JSON.parse((await cli('list', '--json')).stdout).length, 1, 'the dry run changed nothing');
		t.like(await cli('unblock', kate), {code: 0, stdout: `${kate} had nothing counted against the limits\n`});

		for (const args of [['grant', 'mallory@example.com@globomantics.com', 'all'], ['grant', kate, 'ACCT 1'], ['check', '\u212Aate@globomantics.com', 'ACCT1'], ['grant', kate]]) {
			const result = await cli(...args);
			t.is(result.code, 2, args.join(' '));
			t.is(result.stdout, '');
			t.is(result.stderr.trimEnd().split('\n').filter(line => !line.startsWith('(run with --help')).length, 1, `one line: ${result.stderr}`);
		}
	});
}
