// The globobot-admin entry point: parse argv, then load only the command asked
// for. Each command lives in source/commands/ and is imported lazily, so the
// headless listener never evaluates Ink and the TUI never evaluates Koa.
import {Command, CommanderError, Option} from 'commander';
import {registerAccess} from './source/commands/accessCli.js';
import {registerAudit} from './source/commands/auditCli.js';
import {runCommand} from './source/commands/run.js';
import {version} from './source/version.js';

const program = new Command('globobot-admin')
	.description('Webex ChatOps for the Globomantics CRM: manage the bot, run its listener, rehearse on a local Webex sandbox.')
	.version(version, '-v, --version')
	.showHelpAfterError('(run with --help for usage)')
	// Options after a subcommand belong to it: `accounts list --database X` must not be taken by the program's own --database.
	.enablePositionalOptions()
	.exitOverride();

const listenerOptions = (command: Command) =>
	command
		.option('-p, --port <port>', 'port to listen on (PORT, default 5000)')
		.option('--host <host>', 'address to bind (HOST, default 0.0.0.0)')
		.option('--public-url <url>', 'externally reachable base URL of the listener (PUBLIC_URL)')
		.option('--database <url>', 'SQLite path or postgres:// URL (DATABASE_URL)')
		.option('--concurrency <n>', 'replies processed at once (GLOBOBOT_CONCURRENCY, default 64)');

const apiOption = (command: Command) => command.option('--api-url <url>', 'Webex API base URL (WEBEX_API_URL, default https://webexapis.com/v1)');

listenerOptions(apiOption(program))
	.option('--no-listener', 'do not start the embedded listener')
	.option('--sandbox', 'run against a local Webex sandbox even if WEBEX_TOKEN is set')
	.action(async options => runCommand(() => import('./source/commands/tui.js'), options));

listenerOptions(apiOption(program.command('serve')))
	.description('run the webhook listener headless (production): JSON logs, /healthz, /readyz, /metrics, graceful shutdown')
	.option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
	.option('--tls-key <file>', 'private key for --tls-cert (PEM)')
	.option('--allow-unsigned', 'accept deliveries without X-Spark-Signature when no WEBHOOK_SECRET is set (not for production)')
	.addOption(new Option('--log-level <level>', 'log level (LOG_LEVEL)').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
	.action(async options => runCommand(() => import('./source/commands/serve.js'), options));

program
	.command('sandbox')
	.description('run a local Webex-compatible API server and print its URL and the tokens of its people')
	.option('-p, --port <port>', 'port for the sandbox (default 8900)', '8900')
	.option('--host <host>', 'address to bind', '127.0.0.1')
	.option('--latency <ms>', 'add this many milliseconds to every API answer', '0')
	.option('--json', 'print the URL and tokens as JSON')
	.action(async options => runCommand(() => import('./source/commands/sandbox.js'), options));

const webhooks = program.command('webhooks').description("list, create, update, reactivate and delete the bot's webhooks");
apiOption(webhooks.command('list'))
	.description('list every webhook (all pages)')
	.option('--json', 'print JSON')
	.action(async options => runCommand(() => import('./source/commands/webhooks.js'), {...options, action: 'list'}));
apiOption(webhooks.command('create'))
	.description('create a webhook (defaults: PUBLIC_URL/wtwebhook, messages:created, mentionedPeople=me, the configured secret)')
	.option('--url <url>', 'target URL')
	.option('--name <name>', 'name', 'globobot')
	.option('--resource <resource>', 'resource', 'messages')
	.option('--event <event>', 'event', 'created')
	.option('--filter <filter>', 'filter', 'mentionedPeople=me')
	.option('--secret <secret>', 'secret (default: the first WEBHOOK_SECRET)')
	.option('--json', 'print JSON')
	.action(async options => runCommand(() => import('./source/commands/webhooks.js'), {...options, action: 'create'}));
apiOption(webhooks.command('update <id>'))
	.description('change the name, target URL or secret of a webhook')
	.option('--url <url>', 'new target URL')
	.option('--name <name>', 'new name')
	.option('--secret <secret>', 'new secret')
	.option('--json', 'print JSON')
	.action(async (id: string, options) => runCommand(() => import('./source/commands/webhooks.js'), {...options, id, action: 'update'}));
apiOption(webhooks.command('reactivate <id>'))
	.description('set an auto-disabled webhook back to active')
	.option('--json', 'print JSON')
	.action(async (id: string, options) => runCommand(() => import('./source/commands/webhooks.js'), {...options, id, action: 'reactivate'}));
apiOption(webhooks.command('delete <ids...>'))
	.description('delete webhooks by id')
	.option('-y, --yes', 'do not ask for confirmation')
	.option('--json', 'print JSON')
	.action(async (ids: string[], options) => runCommand(() => import('./source/commands/webhooks.js'), {...options, ids, action: 'delete'}));

const accounts = program.command('accounts').description('the CRM accounts globobot answers from');
accounts
	.command('import <file>')
	.description('import accounts from JSON ({"ACCT100": {"due": 100, "paid": 60}}) or CSV (id,due,paid[,currency]); all or nothing')
	.option('--database <url>', 'SQLite path or postgres:// URL (DATABASE_URL)')
	.option('--json', 'print JSON')
	.action(async (file: string, options) => runCommand(() => import('./source/commands/accounts.js'), {...options, file, action: 'import'}));
accounts
	.command('list')
	.description('list every account with its balance')
	.option('--database <url>', 'SQLite path or postgres:// URL (DATABASE_URL)')
	.option('--json', 'print JSON')
	.action(async options => runCommand(() => import('./source/commands/accounts.js'), {...options, action: 'list'}));
accounts
	.command('get <id>')
	.description('show one account')
	.option('--database <url>', 'SQLite path or postgres:// URL (DATABASE_URL)')
	.option('--json', 'print JSON')
	.action(async (id: string, options) => runCommand(() => import('./source/commands/accounts.js'), {...options, id, action: 'get'}));

registerAccess(program);
registerAudit(program);

listenerOptions(apiOption(program.command('doctor')))
	.description('check the token, the API, the webhooks, the database and the allow-list; exit 1 when a check fails')
	.option('--json', 'print JSON')
	.action(async options => runCommand(() => import('./source/commands/doctor.js'), options));

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
