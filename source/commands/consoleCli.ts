// The operator's console commands' argv (issue 16), registered from cli.tsx in
// one line: `events …`, `webhooks ensure|test`, `sandbox say` and the
// sandbox's `--state`. Only commander is loaded here; each command is imported
// when it runs.
import type {Command} from 'commander';
import {helpAfter} from './helpText.js';
import {runCommand} from './run.js';

const databaseOption = (command: Command) => command.option('--database <url>', 'SQLite path or postgres:// URL (DATABASE_URL)');
const apiOption = (command: Command) => command.option('--api-url <url>', 'Webex API base URL (WEBEX_API_URL, default https://webexapis.com/v1)');
const publicUrlOption = (command: Command) => command.option('--public-url <url>', 'externally reachable base URL of the listener (PUBLIC_URL)');

/** A subcommand defined in cli.tsx (webhooks, sandbox), or a new one when it is not there. */
const existing = (program: Command, name: string, description: string) => program.commands.find(command => command.name() === name) ?? program.command(name).description(description);

export function registerConsole(program: Command): void {
	registerEvents(program);
	registerWebhookExtras(existing(program, 'webhooks', "the bot's webhooks"));
	registerSandboxExtras(existing(program, 'sandbox', 'a local Webex-compatible API server'));
}

function registerSandboxExtras(sandbox: Command): void {
	// `sandbox --state F` is the server's; `sandbox say --state F` the subcommand's.
	sandbox.enablePositionalOptions().option('--state <file>', "keep the people's ids and tokens in FILE (owner-only) and reuse them, so they survive a restart; `sandbox say` reads it");
	sandbox
		.command('say <text...>')
		.addHelpText('after', helpAfter('sandbox say'))
		.description('post TEXT as a sandbox person, as their Webex client would (@globobot becomes a mention); prints the message id')
		.requiredOption('--as <email>', 'who speaks, e.g. alice@globomantics.com')
		.option('--room <name>', 'a group room they are in, by title (default: their direct room with the bot)')
		.requiredOption('--state <file>', 'the state file the sandbox was started with')
		.option('--json', 'print JSON')
		.action(async (text: string[], options) => runCommand(() => import('./sandboxSay.js'), {...options, text: text.join(' ')}));
}

function registerEvents(program: Command): void {
	const load = () => import('./events.js');
	const events = program.command('events').description("the listener's events, from the database: why a question went unanswered, and retrying it");
	databaseOption(events.command('list').addHelpText('after', helpAfter('events list')))
		.description('list events, newest first: state, attempts, outcome or last error, source, age')
		.option('--state <states>', 'only these states, comma-separated: pending (includes processing), sending, failed, done')
		.option('--since <when>', 'only events received since then: 30m, 1h, 7d, or an ISO time')
		.option('--limit <n>', 'at most this many (default 100)')
		.option('--json', 'print JSON')
		.action(async options => runCommand(load, {...options, action: 'list'}));
	databaseOption(events.command('show <id>').addHelpText('after', helpAfter('events show')))
		.description('everything recorded about one event (never the message text or the reply)')
		.option('--json', 'print JSON')
		.action(async (id: string, options) => runCommand(load, {...options, id, action: 'show'}));
	databaseOption(events.command('retry <ids...>').addHelpText('after', helpAfter('events retry')))
		.description('put failed events back to pending, once each, recorded as an operator action; a running listener answers them')
		.option('--json', 'print JSON')
		.action(async (ids: string[], options) => runCommand(load, {...options, ids, action: 'retry'}));
	databaseOption(events.command('tail').addHelpText('after', helpAfter('events tail')))
		.description('follow new and changed events as they happen, until Ctrl-C')
		.option('--state <states>', 'only events entering these states')
		.option('--since <when>', 'start this far back instead of now')
		.option('--interval <ms>', 'how often the database is read (default 1000)')
		.option('--json', 'one JSON object per line')
		.action(async options => runCommand(load, {...options, action: 'tail'}));
}

function registerWebhookExtras(webhooks: Command): void {
	publicUrlOption(apiOption(webhooks.command('ensure').addHelpText('after', helpAfter('webhooks ensure'))))
		.description('make sure the default webhook exists exactly once (create, move to PUBLIC_URL, re-sign, reactivate, drop duplicates and outdated filters); safe to repeat')
		.option('--url <url>', 'target URL (default PUBLIC_URL + WEBHOOK_PATH)')
		.option('--name <name>', 'name (default globobot)')
		.option('--filter <filter>', 'filter (default none: a bot gets only the group messages that mention it, and every direct message)')
		.option('--secret <secret>', 'the secret (default: the first WEBHOOK_SECRET, else a generated one; visible in ps and shell history: prefer --secret-file or --secret-stdin)')
		.option('--secret-file <path>', 'read the secret from the first line of this file')
		.option('--secret-stdin', 'read the secret from standard input')
		.option('--json', 'print JSON')
		.action(async options => runCommand(() => import('./webhooksEnsure.js'), options));
	databaseOption(publicUrlOption(apiOption(webhooks.command('test').addHelpText('after', helpAfter('webhooks test')))))
		.description("send the listener's target a signed synthetic delivery and report each step: unsigned refused, signature accepted, recorded, answered")
		.option('--url <url>', 'target URL (default PUBLIC_URL + WEBHOOK_PATH)')
		.option('--message <id>', 'deliver this real message instead (e.g. from `sandbox say`): then "answered" proves the reply')
		.option('--timeout <seconds>', 'how long to wait for each step (default 20)')
		.option('--json', 'print JSON')
		.action(async options => runCommand(() => import('./webhooksTest.js'), options));
}
