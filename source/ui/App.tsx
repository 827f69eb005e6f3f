// The admin TUI's layout: header, the current screen, status lines, the
// activity (and chat) panes, footer. State and actions are in useAppModel,
// each screen is in screens/ and the keys are in keymap.ts; what is laid out
// here is measured by Ink's layout, not added up by hand.
import type {ComponentType} from 'react';
import type {ListenerHandle} from '../../server/events.js';
import type {WebexClient} from '../webex/types.js';
import {Box} from './components/Box.js';
import {Busy} from './components/Busy.js';
import {ErrorBox} from './components/ErrorBox.js';
import {Footer} from './components/Footer.js';
import {Header} from './components/Header.js';
import {KeyProvider} from './components/KeyProvider.js';
import {Note} from './components/Note.js';
import {Panes} from './components/Panes.js';
import {TokenHelp} from './components/TokenHelp.js';
import {errorTitle} from './format.js';
import {useAppModel, type AppModel} from './hooks/useAppModel.js';
import {ColorContext} from './hooks/useColor.js';
import {useTerminalSize} from './hooks/useTerminalSize.js';
import type {ConsoleData} from './consoleData.js';
import type {ChatPaneProps} from './model.js';
import type {AccessPort, AuditPort} from './ports.js';
import {screens} from './screens/index.js';
import type {ScreenDefinition} from './screens/screen.js';

export interface AppProps {
	client: WebexClient;
	api: {kind: 'webex' | 'sandbox'; url: string};
	/** The embedded listener being started; undefined with --no-listener. */
	listener?: Promise<ListenerHandle>;
	/** This listener's webhook target (PUBLIC_URL + WEBHOOK_PATH), until the listener's sources say where it is. */
	targetUrl: string;
	/** Human-readable database, e.g. "sqlite /home/me/.globobot/crm.db". */
	database?: string;
	/** Secrets the listener verifies with; the first one is the default for new webhooks. */
	secrets: readonly string[];
	/** Makes a strong secret, stores it where the listener reads it, returns it. Used when `secrets` is empty. */
	createSecret?: () => Promise<string>;
	/** `max` per page when listing webhooks. */
	pageSize?: number;
	/** One line under the header, e.g. "This is the sandbox…". */
	notice?: string;
	/** The optional chat pane (issue 6), focused with `c`. */
	chat?: ComponentType<ChatPaneProps>;
	/** False under NO_COLOR: no colour escapes at all. */
	color?: boolean;
	/** Called after the listener has stopped, just before the app exits. */
	onQuit?: () => void | Promise<void>;
	/** The database's view of the listener: the Events screen (v) and its health panel. */
	console?: ConsoleData;
	/** The Access screen's grants and checks, and the Audit screen's trail; without them those screens say there is no database. */
	access?: AccessPort;
	audit?: AuditPort;
}

export function App({color = true, ...props}: AppProps) {
	return (
		<ColorContext.Provider value={color}>
			<KeyProvider>
				<Layout {...props} />
			</KeyProvider>
		</ColorContext.Provider>
	);
}

function StatusLines({model}: {model: AppModel}) {
	const {hooks, route, note} = model;
	const editing = route.kind === 'create' || route.kind === 'edit';
	// An outage at start-up is told (and counted down) by the list itself.
	const error = hooks.outage ? undefined : hooks.error;
	return (
		<Box flexDirection="column" flexShrink={0}>
			{hooks.pending && !editing ? <Busy label={hooks.pending} /> : null}
			{error && !hooks.pending ? <ErrorBox error={error} title={errorTitle(error)} /> : null}
			{note && !hooks.pending && !error ? <Note text={note} /> : null}
		</Box>
	);
}

function Layout({api, database, notice, chat: Chat, ...props}: Omit<AppProps, 'color'>) {
	const model = useAppModel({...props, chat: Chat});
	const {columns, rows} = useTerminalSize();
	if (model.unauthorized) return <TokenHelp apiUrl={api.url} error={model.bot.error ?? model.embedded.error} />;

	const {route} = model;
	const {Screen, scope, panes} = screens[route.kind] as ScreenDefinition;
	// Taller screens (detail, form, help) take the panes' rows on a small terminal.
	const showPanes = panes || rows >= 40;
	return (
		// One row short of the terminal: a frame as tall as the terminal makes Ink clear the screen on every draw.
		<Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)}>
			<Header
				bot={model.bot.bot}
				botLoading={model.bot.loading}
				botError={model.bot.error}
				api={api}
				listener={{status: model.embedded.status, sources: model.sources, error: model.embedded.error}}
				counters={model.activity.counters}
				database={database}
				notice={notice}
			/>
			<Box flexDirection="column" flexShrink={1} flexGrow={showPanes ? 0 : 1} overflowY="hidden">
				<Screen route={route} model={model} width={columns} />
			</Box>
			<StatusLines model={model} />
			{showPanes ? (
				<Panes
					events={model.activity.events}
					ignoredSelf={model.activity.ignoredSelf}
					activityFocused={route.kind === 'list' && model.focus === 'activity'}
					scrollBack={model.scrollBack}
					listenerStatus={model.embedded.status}
					minRows={Math.max(2, Math.min(8, Math.floor(rows / 5)))}
					chat={Chat}
					chatFocused={route.kind === 'list' && model.focus === 'chat'}
					onLeaveChat={() => model.setFocus('list')}
				/>
			) : null}
			<Footer scope={scope(model)} width={columns} chat={Boolean(Chat)} />
		</Box>
	);
}
