// The App's state and what the screens can do with it, in one place: the
// hooks that talk to Webex and the listener, where the operator is, and the
// actions (save, delete, reactivate, quit). Screens read this; App only lays
// them out.
import {useApp} from 'ink';
import {useCallback, useEffect, useMemo, useState, type ComponentType} from 'react';
import type {ListenerHandle} from '../../../server/events.js';
import type {SourceStatus} from '../../../server/sources/source.js';
import type {WebexClient} from '../../webex/types.js';
import type {ConsoleData} from '../consoleData.js';
import {describeError, isUnauthorized, type UiError} from '../format.js';
import type {ChatPaneProps, Webhook} from '../model.js';
import type {AccessPort, AuditPort} from '../ports.js';
import type {Focus, Route} from '../route.js';
import type {WebhookFormValues} from '../validate.js';
import {useBot, type BotState} from './useBot.js';
import {useAction} from './useKeys.js';
import {useEmbeddedListener, type EmbeddedListenerState} from './useEmbeddedListener.js';
import {useListenerEvents, type ListenerActivity} from './useListenerEvents.js';
import {useSources} from './useSources.js';
import {useWebhooks, type WebhooksState} from './useWebhooks.js';
import {useWindowedList, type WindowedList} from './useWindowedList.js';
import {defaultWebhook} from '../../defaultWebhook.js';

export interface AppModelProps {
	client: WebexClient;
	listener?: Promise<ListenerHandle>;
	targetUrl: string;
	secrets: readonly string[];
	createSecret?: () => Promise<string>;
	pageSize?: number;
	chat?: ComponentType<ChatPaneProps>;
	onQuit?: () => void | Promise<void>;
	/** The database's view of the listener (Events screen, health panel); absent without a database. */
	console?: ConsoleData;
	/** The grants and checks of the Access screen, and the trail of the Audit screen, on the TUI's database. */
	access?: AccessPort;
	audit?: AuditPort;
}

export interface AppModel {
	console?: ConsoleData;
	bot: BotState;
	embedded: EmbeddedListenerState;
	sources: SourceStatus[];
	activity: ListenerActivity;
	hooks: WebhooksState;
	/** The webhook target of this listener (the ◆ mark, the default of new webhooks); none when its events come over the websocket. */
	ownTarget: string | undefined;
	route: Route;
	go(route: Route): void;
	focus: Focus;
	setFocus(focus: Focus): void;
	hasChat: boolean;
	/** The list's cursor; its height is what the list screen measured. */
	list: WindowedList;
	setListRows(rows: number): void;
	current?: Webhook;
	byId(id: string): Webhook | undefined;
	note?: string;
	setNote(note: string | undefined): void;
	formError?: UiError;
	knownSecrets: readonly string[];
	createDefaults: WebhookFormValues;
	/** Activity rows scrolled back from the newest. */
	scrollBack: number;
	/** Scrolls the activity back (+) or forward (-), never past its oldest event. */
	scroll(by: number): void;
	unauthorized: boolean;
	quit(): Promise<void>;
	reactivate(webhook: Webhook | undefined): Promise<void>;
	startCreate(): void;
	startEdit(webhook: Webhook | undefined): void;
	askDelete(webhook: Webhook | undefined, back: 'list' | 'detail'): void;
	submitCreate(values: WebhookFormValues): Promise<void>;
	submitEdit(id: string, values: WebhookFormValues): Promise<void>;
	confirmDelete(id: string, back: 'list' | 'detail'): Promise<void>;
	access?: AccessPort;
	audit?: AuditPort;
}

export function useAppModel({client, listener, targetUrl, secrets, createSecret, pageSize, chat, onQuit, console, access, audit}: AppModelProps): AppModel {
	const {exit} = useApp();
	const bot = useBot(client);
	const embedded = useEmbeddedListener(listener);
	const sources = useSources(embedded.handle);
	const activity = useListenerEvents(embedded.handle);
	const hooks = useWebhooks(client, {pageSize});
	const [route, go] = useState<Route>({kind: 'list'});
	const [focus, setFocus] = useState<Focus>('list');
	const [formError, setFormError] = useState<UiError>();
	const [note, setNote] = useState<string>();
	const [scrollBack, setScrollBack] = useState(0);
	const [knownSecrets, setKnownSecrets] = useState<readonly string[]>(secrets);
	const [selectId, setSelectId] = useState<string>();
	const [listRows, setListRows] = useState(3);
	// A listener on the websocket has no webhook target: the configured one (PUBLIC_URL) is not where anything arrives.
	const onWebsocket = sources.some(source => source.kind === 'websocket');
	const ownTarget = sources.find(source => source.targetUrl)?.targetUrl ?? (onWebsocket ? undefined : targetUrl);
	const list = useWindowedList(hooks.webhooks.length, listRows);
	const current: Webhook | undefined = hooks.webhooks[list.selected];
	const byId = useCallback((id: string) => hooks.webhooks.find(webhook => webhook.id === id), [hooks.webhooks]);

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
		go({kind: 'quitting'});
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
		// What this listener's webhook missed while inactive is read now (catch-up).
		if (webhook.targetUrl === ownTarget) embedded.handle?.catchUp?.('webhook reactivated');
	};

	const startCreate = () => {
		setFormError(undefined);
		go({kind: 'create'});
	};

	const startEdit = (webhook: Webhook | undefined) => {
		if (!webhook) return;
		setFormError(undefined);
		go({kind: 'edit', id: webhook.id});
	};

	const askDelete = (webhook: Webhook | undefined, back: 'list' | 'detail') => {
		if (webhook) go({kind: 'confirm-delete', id: webhook.id, back});
	};

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
		go({kind: 'list'});
	};

	const submitEdit = async (id: string, values: WebhookFormValues) => {
		setFormError(undefined);
		const result = await hooks.update(id, {name: values.name.trim(), targetUrl: values.targetUrl.trim(), ...(values.secret ? {secret: values.secret} : {})});
		if (!result.ok) return setFormError(result.error);
		setNote(`Saved “${result.value.name}”.`);
		go({kind: 'detail', id});
	};

	const confirmDelete = async (id: string, back: 'list' | 'detail') => {
		const webhook = byId(id);
		go({kind: 'list'});
		if (!webhook) return;
		const result = await hooks.remove(webhook);
		if (result.ok) setNote(`Deleted “${webhook.name}”.`);
		else if (back === 'detail') go({kind: 'detail', id});
	};

	const scroll = useCallback((by: number) => setScrollBack(back => Math.max(0, Math.min(back + by, activity.events.length - 1))), [activity.events.length]);

	const unauthorized = isUnauthorized(bot.error) || isUnauthorized(embedded.error);
	useAction('global', () => void quit(), route.kind !== 'quitting');
	useAction('token', () => void quit(), unauthorized && route.kind !== 'quitting');

	const createDefaults = useMemo<WebhookFormValues>(
		() => ({...defaultWebhook, targetUrl: ownTarget ?? '', secret: secrets[0] ?? ''}),
		[ownTarget, secrets],
	);

	return {
		...(console && {console}),
		bot,
		embedded,
		sources,
		activity,
		hooks,
		ownTarget,
		route,
		go,
		focus,
		setFocus,
		hasChat: Boolean(chat),
		list,
		setListRows,
		current,
		byId,
		note,
		setNote,
		formError,
		knownSecrets,
		createDefaults,
		scrollBack,
		scroll,
		unauthorized,
		quit,
		reactivate,
		startCreate,
		startEdit,
		askDelete,
		submitCreate,
		submitEdit,
		confirmDelete,
		access,
		audit,
	};
}
