// `globobot-admin` with no subcommand: the admin TUI, against Webex (WEBEX_TOKEN)
// or, without a token or with --sandbox, against the offline sandbox demo.
// Ink and the listener are imported lazily: a pipe on stdin costs almost
// nothing, and the first frame is drawn before the listener loads.
import {mkdtemp, rm} from 'node:fs/promises';
import {existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {ComponentType} from 'react';
import type {ListenerHandle} from '../../server/events.js';
import {loadConfig, webhookTargetUrl, type Config, type ConfigFlags} from '../config.js';
import type {Database} from '../crm/types.js';
import type {SqlStore} from '../sql/types.js';
import type {Instance} from '../../server/store/instances.js';
import type {Sandbox} from '../sandbox/types.js';
import type {DemoWorld} from '../sandbox/demo.js';
import type {ConsoleData} from '../ui/consoleData.js';
import type {ChatPaneProps} from '../ui/model.js';
import type {AccessPort, AuditPort} from '../ui/ports.js';
import type {WebexClient} from '../webex/types.js';

export interface TuiOptions extends ConfigFlags {
	/** commander's --no-listener gives `listener: false`. */
	listener?: boolean;
	sandbox?: boolean;
	/** Follow the `serve` running on the database instead of starting a listener (also chosen when one is found). */
	attach?: boolean;
}

/** Everything the App needs, whichever API it talks to; `close` releases what the session started. */
export interface TuiSession {
	client: WebexClient;
	api: {kind: 'webex' | 'sandbox'; url: string};
	targetUrl: string;
	database: string;
	secrets: string[];
	createSecret?: () => Promise<string>;
	notice?: string;
	listener?: Promise<ListenerHandle>;
	chat?: ComponentType<ChatPaneProps>;
	/** The demo's sandbox and people, for a chat pane (issue 6). */
	demo?: {sandbox: Sandbox; world: DemoWorld};
	/** The database's view of the listener, for the Events screen and health panel (issue 16). */
	console?: ConsoleData;
	/** The Access and Audit screens' ports on the session's database (tuiPorts.ts). */
	access?: AccessPort;
	audit?: AuditPort;
	close(): Promise<void>;
}

export const noTerminalMessage =
	'globobot-admin: the admin TUI needs a terminal on stdin; run `globobot-admin serve` for the headless listener, or `globobot-admin webhooks list --json` in scripts.\n';

export async function run(options: TuiOptions = {}): Promise<number> {
	// Before anything heavy: Ink's useInput would crash without raw mode (toolchain pitfall 4).
	if (process.stdin.isTTY !== true) {
		process.stderr.write(noTerminalMessage);
		return 2;
	}
	const config = loadConfig(options);
	// Start reading Ink and the views while the session is set up: the first frame comes sooner.
	const ui = import('../ui/render.js');
	ui.catch(() => undefined);
	const withListener = options.listener !== false;
	const session = options.sandbox || !config.webexToken ? await startDemoSession(config, {withListener}) : await startWebexSession(config, {withListener, attach: options.attach === true});
	try {
		await renderApp(session, await ui);
	} finally {
		await session.close();
	}
	return 0;
}

/** NO_COLOR (https://no-color.org): present and not empty means no colour at all. Read here, so views never read the environment. */
export const colorAllowed = (environment: NodeJS.ProcessEnv = process.env) => !environment['NO_COLOR'];

async function renderApp(session: TuiSession, {renderTui}: typeof import('../ui/render.js')): Promise<void> {
	await renderTui({
		color: colorAllowed(),
		client: session.client,
		api: session.api,
		listener: session.listener,
		targetUrl: session.targetUrl,
		database: session.database,
		secrets: session.secrets,
		createSecret: session.createSecret,
		notice: session.notice,
		chat: session.chat,
		...(session.console && {console: session.console}),
		access: session.access,
		audit: session.audit,
	});
}

/** Against Webex (or any API given by WEBEX_API_URL) with WEBEX_TOKEN. */
export async function startWebexSession(config: Config, {withListener, attach = false}: {withListener: boolean; attach?: boolean}): Promise<TuiSession> {
	const [{webexForCommand}, {describeDatabaseUrl}, {describeCrmUrl}, ports] = await Promise.all([import('./webex.js'), import('../crm/describe.js'), import('../crm/sources/describe.js'), import('./tuiPorts.js')]);
	const client = webexForCommand(config);
	let listenerConfig = config;
	let notice: string | undefined;
	if (withListener && config.webhookSecrets.length === 0 && !config.allowUnsigned) {
		// The listener cannot verify deliveries without a secret: make one now, where it and the next start read it.
		const {ensureWebhookSecret} = await import('../secretStore.js');
		listenerConfig = {...config, webhookSecrets: [ensureWebhookSecret(config).secret]};
		notice = `No WEBHOOK_SECRET was set: generated one in ${config.secretFile} (owner-only); new webhooks use it.`;
	}
	// DATABASE_URL, opened once for the listener and the Access and Audit screens, when the first of them needs it (tuiPorts.ts says why once).
	const database = ports.lazyDatabase(config.databaseUrl);
	// --- attach mode (issue 16): a `serve` already on this database is followed from it, not competed with ---
	const watched = await openConsole(config.databaseUrl, database);
	const {running} = watched;
	const attaching = withListener && (attach || running.length > 0);
	if (attaching) {
		const [first] = running;
		notice = first
			? `Attached to the listener already running on this database (pid ${first.pid} on ${first.host}): its activity and health, from the database. q leaves it running.`
			: 'Attached (--attach): no listener is running on this database now; its events show here when one starts.';
	}
	const listener = attaching ? watched.attach() : withListener ? startListenerAfterFirstFrame(listenerConfig, database.open).then(async handle => withPastActivity(handle, watched)) : undefined;
	listener?.catch(() => undefined);
	// --- end attach mode ---
	return {
		console: watched.data,
		client,
		api: {kind: isWebexCloud(config.webexApiUrl) ? 'webex' : 'sandbox', url: config.webexApiUrl},
		targetUrl: webhookTargetUrl(config),
		// The header names where balances come from: a live CRM, or the embedded store in DATABASE_URL.
		database: config.crmUrl ? `${describeDatabaseUrl(config.databaseUrl)} · accounts from ${describeCrmUrl(config.crmUrl)}` : describeDatabaseUrl(config.databaseUrl),
		secrets: listenerConfig.webhookSecrets,
		createSecret: async () => {
			const {ensureWebhookSecret} = await import('../secretStore.js');
			return ensureWebhookSecret(listenerConfig).secret;
		},
		notice,
		listener,
		access: ports.accessPort(database.store, config.allow),
		audit: ports.auditPort(database.store),
		async close() {
			// The App stops the listener on q; this covers a crash of the UI (close is idempotent).
			const handle = await listener?.catch(() => undefined);
			await handle?.close();
			// The listener leaves a database it was given open.
			await database.close();
		},
	};
}

/** The embedded listener's activity pane starts with the latest events from the database: what happened before this start. */
async function withPastActivity(handle: ListenerHandle, watched: {data: ConsoleData}): Promise<ListenerHandle> {
	const {historyOf, withHistory} = await import('./attachedListener.js');
	const recent = await watched.data.recent(50).catch(() => []);
	return withHistory(handle, historyOf(recent.filter(event => event.receivedAt < Date.now())));
}

/**
 * The database's view of the listener, for the Events screen and attach mode, on the session's one connection
 * (tuiPorts.ts lazyDatabase: a second connection to the same SQLite file in this process would drop its locks).
 * At start it only looks for a running listener when the database exists: a SQLite file nobody made yet has none,
 * and looking must not create it.
 */
async function openConsole(databaseUrl: string, database: {store(): Promise<SqlStore>}): Promise<{data: ConsoleData; running: Instance[]; attach(): Promise<ListenerHandle>}> {
	const [{consoleDataOf}, {attachListener}, {isPostgresUrl}] = await Promise.all([import('./consoleData.js'), import('./attachedListener.js'), import('../crm/describe.js')]);
	const lazy = <T>(read: (data: ConsoleData) => Promise<T>) => async () => read(consoleDataOf(await database.store()));
	const data: ConsoleData = {
		unanswered: lazy(data => data.unanswered()),
		recent: async limit => lazy(data => data.recent(limit))(),
		health: lazy(data => data.health()),
		instances: lazy(data => data.instances()),
		retry: async id => consoleDataOf(await database.store()).retry(id),
	};
	const exists = isPostgresUrl(databaseUrl) || (databaseUrl !== ':memory:' && existsSync(databaseUrl));
	const running = exists ? await data.instances().catch(() => []) : [];
	return {data, running, attach: async () => attachListener(await database.store())};
}

const isWebexCloud = (url: string) => /(^|\.)(webexapis\.com|ciscospark\.com|wbx2\.com)$/i.test(new URL(url).hostname);

/** Starts the embedded listener one macrotask after the call, so Ink draws its first frame before Koa loads. */
function startListenerAfterFirstFrame(config: Config, database: () => Promise<Database>): Promise<ListenerHandle> {
	const started = new Promise(resolve => setImmediate(resolve)).then(async () => startEmbeddedListener(config, await database()));
	// The App reports a failure; this only keeps it from being an unhandled rejection meanwhile.
	started.catch(() => undefined);
	return started;
}

async function startEmbeddedListener(config: Config, database?: Database): Promise<ListenerHandle> {
	const [{startListener}, {silentLogger}] = await Promise.all([import('../../server/listener.js'), import('../../server/logger.js')]);
	// Ink owns the terminal: the listener's log must not write to it; the activity pane shows its events instead.
	try {
		return await startListener(config, {logger: silentLogger(), ...(database ? {database} : {})});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
			throw new Error(`port ${config.port} is taken (serve?): use --attach or --no-listener`);
		}
		throw error;
	}
}

/**
 * The offline demo: a local sandbox with the demo people, the seed accounts in
 * a throwaway SQLite database, the demo people allowed, the embedded listener,
 * and a webhook with a fresh secret pointing at it.
 */
export async function startDemoSession(config: Config, {withListener}: {withListener: boolean}): Promise<TuiSession> {
	const [{startSandbox, seedDemo}, {createWebexClient}, {openDatabase}, {importAccounts}, {generateSecret}, {demoChat}, ports] = await Promise.all([
		import('../sandbox/index.js'),
		import('../webex/client.js'),
		import('../crm/database.js'),
		import('../crm/import.js'),
		import('../secretStore.js'),
		import('../ui/DemoChat.js'),
		import('./tuiPorts.js'),
	]);
	const home = await mkdtemp(path.join(tmpdir(), 'globobot-demo-'));
	const cleanups: Array<() => Promise<void>> = [async () => rm(home, {recursive: true, force: true})];
	const close = async () => {
		for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
	};
	try {
		const sandbox = await startSandbox();
		cleanups.push(async () => sandbox.close());
		const world = seedDemo(sandbox);

		// Opened once: the seed goes in, then the embedded listener uses the same handle.
		const databaseUrl = path.join(home, 'crm.db');
		const database = await openDatabase(databaseUrl);
		cleanups.push(async () => database.close());
		await importAccounts(database.accounts, seedAccountsFile());

		const secret = generateSecret();
		const demoConfig: Config = {
			...config,
			webexToken: world.bot.token,
			webexApiUrl: sandbox.url,
			// The sandbox stands in for every websocket host too (catalog, devices, the socket).
			webexCatalogUrl: sandbox.websocket.catalogUrl,
			// The sandbox is in this process: a proxy the shell exports (a bank laptop's) could not reach it.
			httpsProxy: undefined,
			noProxy: undefined,
			// Port 0 with a PUBLIC_URL ending in :0: the listener registers its real address as the target.
			port: 0,
			host: '127.0.0.1',
			// Loopback: /metrics shares the listener's port (no second port for a throwaway demo).
			metricsAddress: undefined,
			publicUrl: 'http://127.0.0.1:0',
			webhookSecrets: [secret],
			secretFile: path.join(home, 'webhook-secret'),
			databaseUrl,
			allow: [world.alice, world.bob].map(identity => identity.person.emails[0] ?? '').filter(Boolean),
			tlsCert: undefined,
			tlsKey: undefined,
			home,
		};
		const client = createWebexClient({baseUrl: sandbox.url, token: world.bot.token, retries: 2, maxBackoffMs: 500, defaultRetryAfterMs: 500});
		let targetUrl = webhookTargetUrl(demoConfig);
		let listener: Promise<ListenerHandle> | undefined;
		if (withListener) {
			const handle = await startEmbeddedListener(demoConfig, database);
			cleanups.push(async () => handle.close());
			targetUrl = handle.sources().find(source => source.targetUrl)?.targetUrl ?? targetUrl;
			listener = Promise.resolve(handle);
		}
		// No filter: the bot sees 1:1 messages and, in group rooms, only mentions of it (Webex's rule, which the sandbox follows).
		// Over the websocket no webhook is needed at all.
		if (config.events !== 'websocket') await client.webhooks.create({name: 'globobot demo', targetUrl, resource: 'messages', event: 'created', secret});

		return {
			client,
			api: {kind: 'sandbox', url: sandbox.url},
			targetUrl,
			database: `sqlite ${databaseUrl} (throwaway)`,
			secrets: [secret],
			notice: `This is the sandbox, a local Webex. For a real bot set WEBEX_TOKEN${config.events === 'websocket' ? '' : ' and PUBLIC_URL'}, then run globobot-admin again.`,
			listener,
			demo: {sandbox, world},
			chat: demoChat(sandbox, world),
			console: (await import('./consoleData.js')).consoleDataOf(database.store),
			access: ports.accessPort(async () => database.store, demoConfig.allow),
			audit: ports.auditPort(async () => database.store),
			close,
		};
	} catch (error) {
		await close();
		throw error;
	}
}

/** fixtures/seed/accounts.json of this package, found from here both in source/ and in the dist/ bundle. */
function seedAccountsFile(): string {
	let directory = path.dirname(fileURLToPath(import.meta.url));
	for (;;) {
		const candidate = path.join(directory, 'fixtures', 'seed', 'accounts.json');
		if (existsSync(candidate)) return candidate;
		const parent = path.dirname(directory);
		if (parent === directory) throw new Error('fixtures/seed/accounts.json not found next to globobot-admin');
		directory = parent;
	}
}
