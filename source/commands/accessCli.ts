// The `access` subcommands' argv, registered from cli.tsx in one line. Only
// commander is loaded here; the command itself (and the database drivers) is
// imported when one of these runs.
import type {Command} from 'commander';
import {runCommand} from './run.js';

const load = () => import('./access.js');
const collect = (value: string, previous: string[]) => [...previous, value];
const databaseOption = (command: Command) => command.option('--database <url>', 'SQLite path or postgres:// URL (DATABASE_URL)');

export function registerAccess(program: Command): void {
	const access = program.command('access').description('who may see which accounts: grants, checks, and the throttle');
	databaseOption(access.command('grant <subject> <scopes...>'))
		.description('give SUBJECT (email, @domain or *) SCOPEs: all, an account id, an id pattern like ACCT1*, or segment:NAME')
		.action(async (subject: string, scopes: string[], options) => runCommand(load, {...options, subject, scopes, action: 'grant'}));
	databaseOption(access.command('revoke <subject> [scopes...]'))
		.description("take SCOPEs from SUBJECT, or all of SUBJECT's grants when none are named")
		.action(async (subject: string, scopes: string[], options) => runCommand(load, {...options, subject, scopes, action: 'revoke'}));
	databaseOption(access.command('list'))
		.description('list every grant, GLOBOBOT_ALLOW included')
		.option('--json', 'print JSON')
		.action(async options => runCommand(load, {...options, action: 'list'}));
	databaseOption(access.command('check <email> <accounts...>'))
		.description('show what EMAIL may see of each ACCOUNT and the grant that decides it; exit 1 unless all are allowed')
		.option('--segment <account=name>', "the account's segment, when the account store does not know it (repeatable)", collect, [])
		.option('--json', 'print JSON')
		.action(async (email: string, accounts: string[], options) => runCommand(load, {...options, email, accounts, action: 'check'}));
	databaseOption(access.command('import <file>'))
		.description('replace every stored grant with a JSON policy ({"grants": [{"subject": …, "scopes": […]}]}); all or nothing')
		.option('--dry-run', 'print the difference, change nothing')
		.option('--json', 'print JSON')
		.action(async (file: string, options) => runCommand(load, {...options, file, action: 'import'}));
	databaseOption(access.command('unblock <email>'))
		.description("clear EMAIL's counts against GLOBOBOT_LIMIT_LOOKUPS and GLOBOBOT_LIMIT_MISSES")
		.action(async (email: string, options) => runCommand(load, {...options, email, action: 'unblock'}));
}
