// The bot's webhooks, every page, and the calls that change them. Each call
// reports its progress (`pending`, for a spinner) and its failure (an error
// shown in place); none of them throws into the view.
import {useCallback, useEffect, useRef, useState} from 'react';
import type {CreateWebhook, UpdateWebhook, Webhook, WebexClient} from '../../webex/types.js';
import {describeError, isTransientError, type UiError} from '../format.js';
import {retryDelayMs} from '../retry.js';

export interface Outage {
	error: UiError;
	/** The attempt that comes next (the first try was 1). */
	attempt: number;
	/** Epoch ms of that attempt. */
	retryAt: number;
}

export type Outcome<T> = {ok: true; value: T} | {ok: false; error: UiError};

export interface WebhooksState {
	webhooks: Webhook[];
	/** True until the first complete listing (or its failure). */
	loading: boolean;
	/** What is in flight, e.g. "Loading webhooks" or "Deleting globobot"; undefined when idle. */
	pending?: string;
	/** The last failure of a list-level action (refresh, delete, reactivate). */
	error?: UiError;
	/** While the first listing fails for a transient reason (Webex unreachable, 5xx, 429): why, and when it is tried again. */
	outage?: Outage;
	refresh(): Promise<Outcome<Webhook[]>>;
	create(body: CreateWebhook): Promise<Outcome<Webhook>>;
	update(id: string, body: UpdateWebhook): Promise<Outcome<Webhook>>;
	reactivate(webhook: Webhook): Promise<Outcome<Webhook>>;
	remove(webhook: Webhook): Promise<Outcome<void>>;
	dismissError(): void;
}

export interface UseWebhooksOptions {
	/** `max` per page; Webex's default is 100. */
	pageSize?: number;
	/** Skip the listing on mount (e.g. while the token is being checked). */
	enabled?: boolean;
}

// While a long list arrives, draw it page by page rather than once per row.
const progressEvery = 100;

export function useWebhooks(client: WebexClient, {pageSize, enabled = true}: UseWebhooksOptions = {}): WebhooksState {
	const [webhooks, setWebhooks] = useState<Webhook[]>([]);
	const [loading, setLoading] = useState(true);
	const [pending, setPending] = useState<string>();
	const [error, setError] = useState<UiError>();
	const [outage, setOutage] = useState<Outage>();
	const mounted = useRef(true);
	const generation = useRef(0);

	useEffect(() => {
		mounted.current = true;
		return () => {
			mounted.current = false;
		};
	}, []);

	/** Runs one call with a spinner label; failures become an Outcome (and, with `keepError`, the shown error). */
	const track = useCallback(async <T>(label: string, call: () => Promise<T>, keepError = true): Promise<Outcome<T>> => {
		setPending(label);
		setError(undefined);
		try {
			const value = await call();
			return {ok: true, value};
		} catch (caught) {
			const shown = describeError(caught);
			if (mounted.current && keepError) setError(shown);
			return {ok: false, error: shown};
		} finally {
			if (mounted.current) setPending(current => (current === label ? undefined : current));
		}
	}, []);

	const refresh = useCallback(async () => {
		const mine = ++generation.current;
		const result = await track('Loading webhooks', async () => {
			const all: Webhook[] = [];
			for await (const webhook of client.webhooks.list(pageSize ? {max: pageSize} : {})) {
				all.push(webhook);
				if (all.length % progressEvery === 0 && mounted.current && mine === generation.current) setWebhooks([...all]);
			}
			return all;
		});
		// A newer refresh (or a change made meanwhile) wins over this one.
		if (mounted.current && mine === generation.current) {
			if (result.ok) setWebhooks(result.value);
			setLoading(false);
		}
		return result;
	}, [client, pageSize, track]);

	// The first listing: a Webex outage at start-up is retried, visibly, until it answers.
	useEffect(() => {
		if (!enabled) return;
		let live = true;
		let timer: NodeJS.Timeout | undefined;
		const attempt = async (count: number) => {
			const result = await refresh();
			if (!live) return;
			if (result.ok || !isTransientError(result.error)) {
				setOutage(undefined);
				return;
			}
			const wait = retryDelayMs(count, result.error.retryAfterMs);
			setOutage({error: result.error, attempt: count + 1, retryAt: Date.now() + wait});
			timer = setTimeout(() => void attempt(count + 1), wait);
		};
		void attempt(1);
		return () => {
			live = false;
			if (timer) clearTimeout(timer);
		};
	}, [enabled, refresh]);

	const replace = useCallback((changed: Webhook) => {
		generation.current++;
		setWebhooks(current => current.map(webhook => (webhook.id === changed.id ? changed : webhook)));
	}, []);

	const create = useCallback(
		async (body: CreateWebhook) => {
			const result = await track(`Creating ${body.name}`, async () => client.webhooks.create(body), false);
			if (result.ok && mounted.current) {
				generation.current++;
				setWebhooks(current => [...current, result.value]);
			}
			return result;
		},
		[client, track],
	);

	const update = useCallback(
		async (id: string, body: UpdateWebhook) => {
			const result = await track(`Saving ${body.name}`, async () => client.webhooks.update(id, body), false);
			if (result.ok && mounted.current) replace(result.value);
			return result;
		},
		[client, track, replace],
	);

	const reactivate = useCallback(
		async (webhook: Webhook) => {
			const body: UpdateWebhook = {name: webhook.name, targetUrl: webhook.targetUrl, status: 'active'};
			const result = await track(`Reactivating ${webhook.name}`, async () => client.webhooks.update(webhook.id, body));
			if (result.ok && mounted.current) replace(result.value);
			return result;
		},
		[client, track, replace],
	);

	const remove = useCallback(
		async (webhook: Webhook) => {
			const result = await track(`Deleting ${webhook.name}`, async () => client.webhooks.delete(webhook.id));
			if (result.ok && mounted.current) {
				generation.current++;
				setWebhooks(current => current.filter(item => item.id !== webhook.id));
			}
			return result;
		},
		[client, track],
	);

	const dismissError = useCallback(() => setError(undefined), []);

	return {webhooks, loading, pending, error, outage, refresh, create, update, reactivate, remove, dismissError};
}
