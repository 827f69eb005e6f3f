// The `audit` subcommands' argv, kept beside the command so cli.tsx needs one
// line for them. The command itself (audit.ts) still loads only when run.
import type {Command} from 'commander';
import type {AuditOptions} from './audit.js';
import {runCommand} from './run.js';

const database = (command: Command) => command.option('--database <url>', 'SQLite path or postgres:// URL (DATABASE_URL)');
const audit = (options: AuditOptions) => runCommand(() => import('./audit.js'), options);

export function registerAudit(program: Command): void {
	const group = program.command('audit').description('the tamper-evident trail of who was shown, or refused, which account, and where');
	database(group.command('list'))
		.description('list balance decisions, oldest first (the newest --limit of them)')
		.option('--since <time>', 'at or after: a duration ago (1h, 7d) or an ISO time')
		.option('--until <time>', 'before: a duration ago or an ISO time')
		.option('--person <email>', 'asked by this email (or Webex person id)')
		.option('--account <id>', 'about this account')
		.option('--outcome <outcome>', 'an account had this outcome: shown, unknown, denied, throttled, crm-unavailable')
		.option('--limit <n>', 'at most this many, the newest (default 50)')
		.option('--json', 'print JSON')
		.option('--csv', 'print CSV')
		.action(async options => audit({...options, action: 'list'}));
	database(group.command('export'))
		.description('print the chain as JSON lines, hashes included, for someone else to verify')
		.option('--since <time>', 'from the first entry at or after: a duration ago or an ISO time')
		.option('--until <time>', 'to the last entry before: a duration ago or an ISO time')
		.action(async options => audit({...options, action: 'export'}));
	database(group.command('prune'))
		.description('remove entries older than --before (default: GLOBOBOT_AUDIT_RETENTION, 400d), leaving a checkpoint')
		.option('--before <time>', 'a duration ago (400d) or an ISO time')
		.option('--force', 'prune even entries younger than GLOBOBOT_AUDIT_RETENTION')
		.option('--json', 'print JSON')
		.action(async options => audit({...options, action: 'prune'}));
	database(group.command('verify'))
		.description('recompute the hash chain; exit 1 naming the first entry altered, removed or inserted')
		.option('--file <export.jsonl>', 'verify an `audit export` file instead of the database')
		.option('--partial', 'the --file is an `export --since` run: it may start after the chain\'s start')
		.option('--head <seq:hash>', 'a head printed by an earlier verify and kept elsewhere: it must still be in the chain (or the --file)')
		.option('--json', 'print JSON')
		.action(async options => audit({...options, action: 'verify'}));
}
