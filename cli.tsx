// The globobot-admin entry point: parse argv, then load only the command asked
// for. Each command lives in source/commands/ and is imported lazily, so the
// headless listener never evaluates Ink and the TUI never evaluates Koa.
import {Command, CommanderError, Option} from 'commander';
import {registerAccess} from './source/commands/accessCli.js';
import {registerConsole} from './source/commands/consoleCli.js';
import {registerAudit} from './source/commands/auditCli.js';
import {closest, helpAfter} from './source/commands/helpText.js';
import {runCommand} from './source/commands/run.js';
import {defaultWebhook} from './source/defaultWebhook.js';
import {version} from './source/version.js';

// Stack traces name source files, not minified chunks (esbuild writes the maps); only with DEBUG, which is when they print.
if (process.env['DEBUG']) process.setSourceMapsEnabled(true);

// `globobot-admin events list | head`: a reader that stops early is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(0);
		throw error;
	});
}

const program = new Command('globobot-admin')
	.description('Webex ChatOps for the Globomantics CRM: manage the bot, run its listener, rehearse on a local Webex sandbox.')
	.version(version, '-v, --version')
	.showHelpAfterError('(run with --help for usage)')
	// Options after a subcommand belong to it: `accounts list --database X` must not be taken by the program's own --database.
	.enablePositionalOptions()
	// Our own `help [command...]` below: commander's shows one level only (`help webhooks list` would show `webhooks`).
	.helpCommand(false)
	// Operands reach the TUI's action, which answers a mistyped command with a suggestion.
	.allowExcessArguments()
	.exitOverride();

const withHelp = (command: Command, name: string) => command.addHelpText('after', helpAfter(name));

const apiOption = (command: Command) => command.option('--api-url <url>', 'Webex API base URL (WEBEX_API_URL, default https://webexapis.com/v1)');
const publicUrlOption = (command: Command) => command.option('--public-url <url>', 'externally reachable base URL of the listener (PUBLIC_URL)');
const databaseOption = (command: Command) => command.option('--database <url>', 'SQLite path or postgres:// URL (DATABASE_URL)');
const listenerOptions = (command: Command) =>
	databaseOption(publicUrlOption(command.option('-p, --port <port>', 'port to listen on (PORT, default 5000)').option('--host <host>', 'address to bind (HOST, default 0.0.0.0)'))).option(
		'--concurrency <n>',
		'replies processed at once (GLOBOBOT_CONCURRENCY, default 256)',
	).option('--events <mode>', 'how Webex tells the bot about messages: webhook or websocket (GLOBOBOT_EVENTS, default webhook)');
const secretOptions = (command: Command, what: string) =>
	command
		.option('--secret <secret>', `${what} (visible in ps and shell history: prefer --secret-file or --secret-stdin)`)
		.option('--secret-file <path>', `read ${what} from the first line of this file`)
		.option('--secret-stdin', `read ${what} from standard input`);

withHelp(listenerOptions(apiOption(program)), 'globobot-admin')
	.option('--no-listener', 'do not start the embedded listener')
	.option('--attach', 'do not start a listener: follow the one running on the database (chosen by itself when one is found)')
	.option('--sandbox', 'run against a local Webex sandbox even if WEBEX_TOKEN is set')
	.action(async (options, command: Command) => {
		const [typed] = command.args;
		if (typed !== undefined) {
			const suggestion = closest(typed, program.commands.map(sub => sub.name()));
			program.error(`error: unknown command '${typed}'${suggestion ? `\n(Did you mean ${suggestion}?)` : ''}`, {exitCode: 2, code: 'commander.unknownCommand'});
		}
		await runCommand(() => import('./source/commands/tui.js'), options);
	});

/**
 * Options given before the subcommand (`globobot-admin --api-url X webhooks list`) apply to it when it has
 * that option, and stop the command (exit 2) when it does not: never silently ignored, which is how a
 * command ends up talking to the wrong tenant.
 */
program.hook('preAction', (_program, action) => {
	if (action === program) return;
	const name = [...ancestry(action)].join(' ');
	for (const option of program.options) {
		const key = option.attributeName();
		if (program.getOptionValueSource(key) !== 'cli') continue;
		const flag = option.long ?? option.flags;
		if (!action.options.some(own => own.attributeName() === key)) {
			program.error(`error: ${flag} does not apply to \`${name}\` (see \`globobot-admin help ${name}\`)`, {exitCode: 2, code: 'globobot.misplacedOption'});
		}
		if (action.getOptionValueSource(key) === 'cli' && action.getOptionValue(key) !== program.getOptionValue(key)) {
			program.error(`error: ${flag} is given twice, with different values`, {exitCode: 2, code: 'globobot.conflictingOption'});
		}
		action.setOptionValueWithSource(key, program.getOptionValue(key), 'cli');
	}
});

function* ancestry(command: Command): Generator<string> {
	if (command.parent && command.parent !== program) yield* ancestry(command.parent);
	yield command.name();
}

program
	.command('help [command...]')
	.description('show the help of a command, e.g. `help webhooks create`')
	.action((path: string[]) => {
		let command = program;
		for (const [index, name] of path.entries()) {
			const sub = command.commands.find(candidate => candidate.name() === name);
			if (!sub) {
				const suggestion = closest(name, command.commands.map(candidate => candidate.name()));
				return program.error(`error: no command '${path.slice(0, index + 1).join(' ')}'${suggestion ? `\n(Did you mean ${suggestion}?)` : ''}`, {exitCode: 2, code: 'commander.unknownCommand'});
			}
			command = sub;
		}
		command.help();
	});

withHelp(listenerOptions(apiOption(program.command('serve'))), 'serve')
	.description('run the webhook listener headless (production): JSON logs, /healthz, /readyz, /metrics, graceful shutdown')
	.option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM; TLS_CERT)')
	.option('--tls-key <file>', 'private key for --tls-cert (PEM; TLS_KEY)')
	.option('--allow-unsigned', 'accept deliveries without X-Spark-Signature when no WEBHOOK_SECRET is set (not for production)')
	.addOption(new Option('--log-level <level>', 'log level (LOG_LEVEL)').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
	.action(async options => runCommand(() => import('./source/commands/serve.js'), options));

withHelp(program.command('sandbox'), 'sandbox')
	.description('run a local Webex-compatible API server and print its URL and the tokens of its people')
	.option('-p, --port <port>', 'port for the sandbox (default 8900)', '8900')
	.option('--host <host>', 'address to bind', '127.0.0.1')
	.option('--latency <ms>', 'add this many milliseconds to every API answer', '0')
	.option('--json', 'print the URL and tokens as JSON')
	.action(async options => runCommand(() => import('./source/commands/sandbox.js'), options));

const webhooks = program.command('webhooks').description("list, create, update, reactivate and delete the bot's webhooks");
const webhooksCommand = () => import('./source/commands/webhooks.js');
withHelp(apiOption(webhooks.command('list')), 'webhooks list')
	.description('list every webhook (all pages)')
	.option('--json', 'print JSON')
	.action(async options => runCommand(webhooksCommand, {...options, action: 'list'}));
withHelp(secretOptions(apiOption(publicUrlOption(webhooks.command('create'))), 'the secret (default: the first WEBHOOK_SECRET, else a generated one)'), 'webhooks create')
	.description(`create a webhook (defaults: PUBLIC_URL/wtwebhook, ${defaultWebhook.resource}:${defaultWebhook.event}, no filter, the configured secret)`)
	.option('--url <url>', 'target URL')
	.option('--name <name>', `name (default ${defaultWebhook.name})`)
	.option('--resource <resource>', `resource (default ${defaultWebhook.resource})`)
	.option('--event <event>', `event (default ${defaultWebhook.event})`)
	.option('--filter <filter>', 'filter (default none: a bot gets only the group messages that mention it, and every direct message)')
	.option('--json', 'print JSON')
	.action(async options => runCommand(webhooksCommand, {...options, action: 'create'}));
withHelp(secretOptions(apiOption(webhooks.command('update <id>')), 'the new secret'), 'webhooks update')
	.description('change the name, target URL or secret of a webhook')
	.option('--url <url>', 'new target URL')
	.option('--name <name>', 'new name')
	.option('--json', 'print JSON')
	.action(async (id: string, options) => runCommand(webhooksCommand, {...options, id, action: 'update'}));
withHelp(apiOption(webhooks.command('reactivate <id>')), 'webhooks reactivate')
	.description('set an auto-disabled webhook back to active')
	.option('--json', 'print JSON')
	.action(async (id: string, options) => runCommand(webhooksCommand, {...options, id, action: 'reactivate'}));
withHelp(apiOption(webhooks.command('delete <ids...>')), 'webhooks delete')
	.description('delete webhooks by id')
	.option('-y, --yes', 'do not ask for confirmation')
	.option('--json', 'print JSON')
	.action(async (ids: string[], options) => runCommand(webhooksCommand, {...options, ids, action: 'delete'}));

const accounts = program.command('accounts').description('the CRM accounts globobot answers from');
const accountsCommand = () => import('./source/commands/accounts.js');
withHelp(databaseOption(accounts.command('import <file>')), 'accounts import')
	.description('import accounts from JSON ({"ACCT100": {"due": 100, "paid": 60}}) or CSV (id,due,paid[,currency]); all or nothing')
	.option('--json', 'print JSON')
	.action(async (file: string, options) => runCommand(accountsCommand, {...options, file, action: 'import'}));
withHelp(databaseOption(accounts.command('list')), 'accounts list')
	.description('list every account with its balance (creates nothing)')
	.option('--json', 'print JSON')
	.action(async options => runCommand(accountsCommand, {...options, action: 'list'}));
withHelp(databaseOption(accounts.command('get <id>')), 'accounts get')
	.description('show one account (creates nothing)')
	.option('--json', 'print JSON')
	.action(async (id: string, options) => runCommand(accountsCommand, {...options, id, action: 'get'}));

registerAccess(program);
registerAudit(program);

withHelp(databaseOption(publicUrlOption(apiOption(program.command('doctor')))), 'doctor')
	.description('check the token, the API, the webhooks, the database and the allow-list (creates nothing); exit 1 when a check fails')
	.option('--json', 'print JSON')
	.action(async options => runCommand(() => import('./source/commands/doctor.js'), options));

registerConsole(program);

try {
	await program.parseAsync();
} catch (error) {
	if (error instanceof CommanderError) {
		// Help and version exit 0; every usage error exits 2 (commander would use 1).
		process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
	} else {
		throw error;
	}
}
