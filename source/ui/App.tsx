// The admin TUI: header, webhook list (or detail, form, help), activity pane
// (and the optional chat pane), footer. This is the one container: it wires
// hooks (which talk to Webex and the listener) to views (which only draw).
import {Box, useApp} from 'ink';
import {useCallback, useEffect, useMemo, useState, type ComponentType} from 'react';
import type {ListenerHandle} from '../../server/events.js';
import type {WebexClient} from '../webex/types.js';
import {ActivityPane} from './components/ActivityPane.js';
import {Busy} from './components/Busy.js';
import {ConfirmDialog} from './components/ConfirmDialog.js';
import {ErrorBox} from './components/ErrorBox.js';
import {Footer, type FooterMode} from './components/Footer.js';
import {Header} from './components/Header.js';
import {HelpOverlay} from './components/HelpOverlay.js';
import {Note} from './components/Note.js';
import {TokenHelp} from './components/TokenHelp.js';
import {WebhookDetail} from './components/WebhookDetail.js';
import {WebhookForm} from './components/WebhookForm.js';
import {WebhookList} from './components/WebhookList.js';
import {describeError, isUnauthorized, type UiError} from './format.js';
import {useBot} from './hooks/useBot.js';
import {useEmbeddedListener} from './hooks/useEmbeddedListener.js';
import {useKeys} from './hooks/useKeys.js';
import {useListenerEvents} from './hooks/useListenerEvents.js';
import {useTerminalSize} from './hooks/useTerminalSize.js';
import {useWebhooks} from './hooks/useWebhooks.js';
import {useWindowedList} from './hooks/useWindowedList.js';
import type {ChatPaneProps, Webhook} from './model.js';
import type {WebhookFormValues} from './validate.js';

export interface AppProps {
	client: WebexClient;
	api: {kind: 'webex' | 'sandbox'; url: string};
	/** The embedded listener being started; undefined with --no-listener. */
	listener?: Promise<ListenerHandle>;
	/** This listener's webhook target (PUBLIC_URL + WEBHOOK_PATH): the default for new webhooks and the ◆ mark. */
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
	/** Called after the listener has stopped, just before the app exits. */
	onQuit?: () => void | Promise<void>;
}

type Screen =
	| {kind: 'list'}
	| {kind: 'detail'; id: string}
	| {kind: 'create'}
	| {kind: 'edit'; id: string}
	| {kind: 'confirm-delete'; id: string; back: 'list' | 'detail'}
	| {kind: 'help'}
	| {kind: 'quitting'};

type Focus = 'list' | 'activity' | 'chat';

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));

function footerMode(screen: Screen, focus: Focus): FooterMode {
	switch (screen.kind) {
		case 'list': {
			return focus;
		}
		case 'create':
		case 'edit': {
			return 'form';
		}
		case 'confirm-delete': {
			return 'confirm';
		}
		default: {
			return screen.kind;
		}
	}
}

export function App({client, api, listener, targetUrl, database, secrets, createSecret, pageSize, notice, chat: Chat, onQuit}: AppProps) {
	const {exit} = useApp();
	const {rows} = useTerminalSize();
	const bot = useBot(client);
	const embedded = useEmbeddedListener(listener);
	const activity = useListenerEvents(embedded.handle);
	const hooks = useWebhooks(client, {pageSize});
	const [screen, setScreen] = useState<Screen>({kind: 'list'});
	const [focus, setFocus] = useState<Focus>('list');
	const [formError, setFormError] = useState<UiError>();
	const [note, setNote] = useState<string>();
	const [scrollBack, setScrollBack] = useState(0);
	const [knownSecrets, setKnownSecrets] = useState<readonly string[]>(secrets);
	const [selectId, setSelectId] = useState<string>();
	const ownTarget = embedded.handle?.targetUrl ?? targetUrl;

	// Layout: the list and the panes share what the header, status lines and footer leave. The list takes
	// what it needs up to all but the panes' minimum; a short list leaves the rest to the activity and chat panes.
	const headerRows = notice ? 3 : 2;
	const statusRows =
		(hooks.error ? (hooks.error.trackingId ? 4 : 3) : hooks.pending || note ? 1 : 0) + (screen.kind === 'confirm-delete' ? 3 : 0) + (screen.kind === 'quitting' ? 1 : 0);
	const sharedRows = rows - headerRows - 1 - statusRows - 4 - 3;
	const minEventRows = clamp(Math.floor(rows / 5), 2, 8);
	const listRows = clamp(hooks.webhooks.length, 3, Math.max(3, sharedRows - minEventRows));
	// Only beside the list: the detail, form and help screens are taller and need the rows themselves.
	const besideList = screen.kind === 'list' || screen.kind === 'confirm-delete' || screen.kind === 'quitting';
	const eventRows = besideList ? Math.max(minEventRows, sharedRows - listRows) : minEventRows;
	// The detail, form and help screens are taller than the list: on a small terminal they take the panes' rows too.
	const showPanes = besideList || rows >= 40;
	const list = useWindowedList(hooks.webhooks.length, listRows);
	const current: Webhook | undefined = hooks.webhooks[list.selected];
	const byId = (id: string) => hooks.webhooks.find(webhook => webhook.id === id);

	// After a create, put the cursor on the new webhook once it is in the list.
	useEffect(() => {
		if (!selectId) return;
		const index = hooks.webhooks.findIndex(webhook => webhook.id === selectId);
		if (index !== -1) {
			list.moveTo(index);
			setSelectId(undefined);
		}
	}, [selectId, hooks.webhooks, list.moveTo]);

	const quit = useCallback(async () => {
		setScreen({kind: 'quitting'});
		try {
			const handle = await listener;
			await handle?.close();
		} catch {
			// A listener that failed to start, or fails to stop, must not keep the operator in the app.
		}
		await onQuit?.();
		exit();
	}, [listener, onQuit, exit]);

	const reactivate = async (webhook: Webhook | undefined) => {
		if (!webhook) return;
		if (webhook.status === 'active') {
			setNote(`“${webhook.name}” is already active.`);
			return;
		}
		const result = await hooks.reactivate(webhook);
		if (!result.ok) return;
		setNote(`“${webhook.name}” is active again.`);
		// catch-up (issue 11): what this listener's webhook missed while inactive is read now.
		if (webhook.targetUrl === ownTarget) embedded.handle?.catchUp?.('webhook reactivated');
	};

	const startEdit = (webhook: Webhook | undefined) => {
		if (!webhook) return;
		setFormError(undefined);
		setScreen({kind: 'edit', id: webhook.id});
	};

	const askDelete = (webhook: Webhook | undefined, back: 'list' | 'detail') => {
		if (webhook) setScreen({kind: 'confirm-delete', id: webhook.id, back});
	};

	const unauthorized = isUnauthorized(bot.error) || isUnauthorized(embedded.error);

	// Ctrl-C quits from every screen, the chat and the form included.
	useKeys((input, key) => {
		if (key.ctrl && input === 'c') void quit();
	}, screen.kind !== 'quitting');

	useKeys(input => {
		if (input === 'q') void quit();
	}, unauthorized && screen.kind !== 'quitting');

	// The list's keys, and the ones that work from any pane of the main screen.
	useKeys(
		(input, key) => {
			setNote(undefined);
			if (input === 'q') return void quit();
			if (input === '?') return setScreen({kind: 'help'});
			if (key.tab) return setFocus(focus === 'list' ? 'activity' : 'list');
			if (input === 'c' && Chat) return setFocus('chat');
			if (focus === 'activity') {
				if (key.escape) setFocus('list');
				else if (key.upArrow || input === 'k') setScrollBack(back => clamp(back + 1, 0, Math.max(0, activity.events.length - eventRows)));
				else if (key.downArrow || input === 'j') setScrollBack(back => Math.max(0, back - 1));
				return;
			}
			if (key.upArrow || input === 'k') list.moveBy(-1);
			else if (key.downArrow || input === 'j') list.moveBy(1);
			else if (key.pageUp) list.pageUp();
			else if (key.pageDown) list.pageDown();
			else if (key.home || input === 'g') list.home();
			else if (key.end || input === 'G') list.end();
			else if (key.return && current) setScreen({kind: 'detail', id: current.id});
			else if (input === 'n') {
				setFormError(undefined);
				setScreen({kind: 'create'});
			} else if (input === 'e') startEdit(current);
			else if (input === 'a') void reactivate(current);
			else if (input === 'd') askDelete(current, 'list');
			else if (input === 'r') void hooks.refresh();
			else if (key.escape) hooks.dismissError();
		},
		!unauthorized && screen.kind === 'list' && focus !== 'chat',
	);

	const detailed = screen.kind === 'detail' ? byId(screen.id) : undefined;
	useKeys(
		(input, key) => {
			setNote(undefined);
			if (key.escape || key.return || key.backspace) setScreen({kind: 'list'});
			else if (input === 'q') void quit();
			else if (input === 'e') startEdit(detailed);
			else if (input === 'a') void reactivate(detailed);
			else if (input === 'd') askDelete(detailed, 'detail');
		},
		screen.kind === 'detail',
	);

	useKeys(() => setScreen({kind: 'list'}), screen.kind === 'help');

	const submitCreate = async (values: WebhookFormValues) => {
		setFormError(undefined);
		let secret = values.secret;
		if (!secret && createSecret) {
			try {
				secret = await createSecret();
				setKnownSecrets(known => [...known, secret]);
			} catch (error) {
				setFormError(describeError(error));
				return;
			}
		}
		const result = await hooks.create({
			name: values.name.trim(),
			targetUrl: values.targetUrl.trim(),
			resource: values.resource,
			event: values.event,
			...(values.filter.trim() ? {filter: values.filter.trim()} : {}),
			...(secret ? {secret} : {}),
		});
		if (!result.ok) return setFormError(result.error);
		setSelectId(result.value.id);
		setNote(`Created “${result.value.name}”.`);
		setScreen({kind: 'list'});
	};

	const submitEdit = async (id: string, values: WebhookFormValues) => {
		setFormError(undefined);
		const result = await hooks.update(id, {name: values.name.trim(), targetUrl: values.targetUrl.trim(), ...(values.secret ? {secret: values.secret} : {})});
		if (!result.ok) return setFormError(result.error);
		setNote(`Saved “${result.value.name}”.`);
		setScreen({kind: 'detail', id});
	};

	const confirmDelete = async (id: string, back: 'list' | 'detail') => {
		const webhook = byId(id);
		setScreen({kind: 'list'});
		if (!webhook) return;
		const result = await hooks.remove(webhook);
		if (result.ok) setNote(`Deleted “${webhook.name}”.`);
		else if (back === 'detail') setScreen({kind: 'detail', id});
	};

	const createDefaults = useMemo<WebhookFormValues>(
		() => ({name: 'globobot', targetUrl: ownTarget, resource: 'messages', event: 'created', filter: 'mentionedPeople=me', secret: secrets[0] ?? ''}),
		[ownTarget, secrets],
	);

	if (unauthorized) {
		return (
			<Box flexDirection="column">
				<TokenHelp apiUrl={api.url} error={bot.error ?? embedded.error} />
			</Box>
		);
	}

	const main = () => {
		switch (screen.kind) {
			case 'detail': {
				return detailed ? <WebhookDetail webhook={detailed} ownTarget={ownTarget} /> : null;
			}
			case 'create': {
				return (
					<WebhookForm
						mode="create"
						initial={createDefaults}
						knownSecrets={knownSecrets}
						secretPlaceholder="(none configured: a strong one is generated and saved for the listener)"
						busy={hooks.pending}
						error={formError}
						onSubmit={values => void submitCreate(values)}
						onCancel={() => setScreen({kind: 'list'})}
					/>
				);
			}
			case 'edit': {
				const webhook = byId(screen.id);
				if (!webhook) return null;
				return (
					<WebhookForm
						mode="edit"
						initial={{name: webhook.name, targetUrl: webhook.targetUrl, resource: webhook.resource, event: webhook.event, filter: webhook.filter ?? '', secret: ''}}
						knownSecrets={knownSecrets}
						secretPlaceholder={webhook.secret ? '(empty: keep the current secret)' : '(empty: no secret)'}
						busy={hooks.pending}
						error={formError}
						onSubmit={values => void submitEdit(webhook.id, values)}
						onCancel={() => setScreen({kind: 'detail', id: webhook.id})}
					/>
				);
			}
			case 'help': {
				return <HelpOverlay chat={Boolean(Chat)} />;
			}
			default: {
				return (
					<WebhookList
						webhooks={hooks.webhooks}
						selected={list.selected}
						offset={list.offset}
						height={listRows}
						ownTarget={ownTarget}
						focused={focus === 'list' && screen.kind === 'list'}
						loading={hooks.loading}
					/>
				);
			}
		}
	};

	const confirming = screen.kind === 'confirm-delete' ? byId(screen.id) : undefined;

	return (
		<Box flexDirection="column">
			<Header
				bot={bot.bot}
				botLoading={bot.loading}
				api={api}
				listener={{status: embedded.status, url: embedded.handle?.url, error: embedded.error}}
				counters={activity.counters}
				database={database}
				notice={notice}
			/>
			{main()}
			{screen.kind === 'confirm-delete' ? (
				<ConfirmDialog
					message={`Delete webhook “${confirming?.name ?? screen.id}” (${confirming?.targetUrl ?? 'unknown target'})?`}
					onConfirm={() => void confirmDelete(screen.id, screen.back)}
					onCancel={() => setScreen(screen.back === 'detail' ? {kind: 'detail', id: screen.id} : {kind: 'list'})}
				/>
			) : null}
			{hooks.pending && screen.kind !== 'create' && screen.kind !== 'edit' ? <Busy label={hooks.pending} /> : null}
			{hooks.error && !hooks.pending ? <ErrorBox error={hooks.error} title="Webex refused" /> : null}
			{note && !hooks.pending && !hooks.error ? <Note text={note} /> : null}
			{screen.kind === 'quitting' ? <Busy label="Stopping the listener" /> : null}
			<Box display={showPanes ? 'flex' : 'none'}>
				<ActivityPane events={activity.events} height={eventRows} focused={focus === 'activity'} scrollBack={scrollBack} listenerStatus={embedded.status} />
				{Chat ? <Chat focused={focus === 'chat' && screen.kind === 'list'} height={eventRows} onLeave={() => setFocus('list')} /> : null}
			</Box>
			<Footer mode={footerMode(screen, focus)} chat={Boolean(Chat)} />
		</Box>
	);
}
