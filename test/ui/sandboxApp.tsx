// Shared set-up for the App tests: a real sandbox over HTTP, the bot's real
// client, and the App rendered by ink-testing-library.
import type {ExecutionContext} from 'ava';
import {render} from 'ink-testing-library';
import {App, type AppProps} from '../../source/ui/App.js';
import {seedDemo, startSandbox, type DemoWorld, type Sandbox, type SandboxOptions} from '../../source/sandbox/index.js';
import {createWebexClient} from '../../source/webex/client.js';
import type {WebexClient} from '../../source/webex/types.js';

export const ownTarget = 'http://127.0.0.1:5999/wtwebhook';
export const knownSecret = 'the-configured-secret-123';

export interface SandboxApp {
	sandbox: Sandbox;
	world: DemoWorld;
	client: WebexClient;
	ui: ReturnType<typeof render>;
}

export async function startSandboxOnly(t: ExecutionContext, options: SandboxOptions = {}) {
	const sandbox = await startSandbox(options);
	t.teardown(async () => sandbox.close());
	const world = seedDemo(sandbox);
	// No retries: a fault must show at once, not after backoff.
	const client = createWebexClient({baseUrl: sandbox.url, token: world.bot.token, retries: 0, timeoutMs: 5000});
	return {sandbox, world, client};
}

/** Creates `count` webhooks named hook-00, hook-01, … through the API, in order. */
export async function createWebhooks(client: WebexClient, count: number, targetUrl = 'https://elsewhere.example.com/hook') {
	for (let index = 0; index < count; index++) {
		await client.webhooks.create({name: `hook-${String(index).padStart(2, '0')}`, targetUrl, resource: 'messages', event: 'created', secret: knownSecret});
	}
}

export function renderApp(t: ExecutionContext, client: WebexClient, sandbox: Sandbox, props: Partial<AppProps> = {}) {
	const ui = render(
		<App client={client} api={{kind: 'sandbox', url: sandbox.url}} targetUrl={ownTarget} secrets={[knownSecret]} database="sqlite :memory:" {...props} />,
	);
	t.teardown(() => ui.unmount());
	return ui;
}

/** Gives ink-testing-library's stdout a terminal size (it has 100 columns and no rows) and tells Ink, as a resize does. */
export function resize(ui: ReturnType<typeof render>, columns: number, rows: number) {
	Object.defineProperty(ui.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(ui.stdout, 'rows', {value: rows, configurable: true});
	ui.stdout.emit('resize');
}

/** Lines wider than `columns` (a wrapped or overflowing row), as [line, width] pairs. */
export const overlong = (frame: string, columns: number) =>
	frame
		.split('\n')
		.map(line => [line, [...line].length] as const)
		.filter(([, width]) => width > columns);
