// `globobot-admin webhooks ensure`: the default webhook exists exactly once,
// however often a deploy script runs this. It creates it when missing, moves
// the bot's own `globobot` webhook to this listener's target when PUBLIC_URL
// changed, puts a configured secret on it, reactivates it after Webex
// auto-disabled it, and deletes exact duplicates of it (same target, resource,
// event and filter: each would deliver every message once more). Its own
// `globobot` webhook with a filter an earlier version set by default
// (`mentionedPeople=me`, which keeps direct messages out) is replaced: Webex
// cannot change a filter, so the new one is created before the old one goes.
// Webhooks that target anything else are never touched.
import {loadConfig, webhookTargetUrl, type Config} from '../config.js';
import {defaultWebhook, outdatedDefaultFilters} from '../defaultWebhook.js';
import {ensureWebhookSecret} from '../secretStore.js';
import {checkTargetUrl} from '../webhookTarget.js';
import {processOutput, safeText, type Output} from './output.js';
import {CommandError} from './run.js';
import {readSecretOption, type SecretOptions} from './secretOption.js';
import {explainWebexError, webexForCommand} from './webex.js';
import type {UpdateWebhook, Webhook, WebexClient} from '../webex/types.js';
import {webhookJson, type WebhookJson} from './webhooks.js';

export interface EnsureWanted {
	name: string;
	targetUrl: string;
	resource: string;
	event: string;
	filter: string;
}

export interface EnsureResult {
	action: 'created' | 'updated' | 'reactivated' | 'unchanged';
	webhook: WebhookJson;
	/** What changed, for people: "target …", "secret", "reactivated". */
	changes: string[];
	/** Exact duplicates deleted. */
	deleted: string[];
	/** The bot's own webhooks deleted for a filter an earlier default set, after the wanted one existed. */
	outdated: string[];
}

const same = (webhook: Webhook, wanted: EnsureWanted) =>
	webhook.targetUrl === wanted.targetUrl && webhook.resource === wanted.resource && webhook.event === wanted.event && (webhook.filter ?? '') === wanted.filter;

/** Oldest active first: the one to keep. */
const keepOrder = (a: Webhook, b: Webhook) => Number(b.status === 'active') - Number(a.status === 'active') || a.created.localeCompare(b.created) || a.id.localeCompare(b.id);

export async function ensureWebhook(webex: WebexClient, config: Config, wanted: EnsureWanted, options: {secret?: string; note(line: string): void}): Promise<EnsureResult> {
	const webhooks: Webhook[] = [];
	for await (const webhook of webex.webhooks.list()) webhooks.push(webhook);
	const secretOk = (webhook: Webhook) => (options.secret ? webhook.secret === options.secret : Boolean(webhook.secret) && config.webhookSecrets.includes(webhook.secret!));
	const secret = () => {
		if (options.secret) return options.secret;
		const ensured = ensureWebhookSecret(config);
		if (ensured.generated) options.note(`generated a webhook secret and saved it to ${config.secretFile} (owner-only); the listener reads it from there`);
		return ensured.secret;
	};

	const matching = webhooks.filter(webhook => same(webhook, wanted)).sort(keepOrder);
	// PUBLIC_URL moved: the bot's own webhook of that name, for the same messages, follows it (only when there is exactly one).
	const moved = webhooks.filter(webhook => webhook.name === wanted.name && !same(webhook, wanted) && webhook.resource === wanted.resource && webhook.event === wanted.event && (webhook.filter ?? '') === wanted.filter);
	const keep = matching[0] ?? (moved.length === 1 ? moved[0] : undefined);
	const outdated = wanted.filter === '' ? webhooks.filter(webhook => webhook.name === wanted.name && webhook.resource === wanted.resource && webhook.event === wanted.event && outdatedDefaultFilters.includes(webhook.filter ?? '')) : [];
	const dropOutdated = async () => {
		for (const webhook of outdated) await webex.webhooks.delete(webhook.id);
		return outdated.map(webhook => webhook.id);
	};

	if (!keep) {
		const {filter, ...unfiltered} = wanted;
		const created = await webex.webhooks.create({...unfiltered, ...(filter && {filter}), secret: secret()});
		return {action: 'created', webhook: webhookJson(created), changes: [], deleted: [], outdated: await dropOutdated()};
	}

	const deleted: string[] = [];
	for (const duplicate of matching.slice(1)) {
		await webex.webhooks.delete(duplicate.id);
		deleted.push(duplicate.id);
	}

	const changes: string[] = [];
	const body: UpdateWebhook = {name: keep.name, targetUrl: keep.targetUrl};
	if (keep.targetUrl !== wanted.targetUrl) {
		changes.push(`target ${safeText(keep.targetUrl)} → ${safeText(wanted.targetUrl)}`);
		body.targetUrl = wanted.targetUrl;
	}
	if (!secretOk(keep)) {
		changes.push(keep.secret ? 'secret replaced by the configured one' : 'secret added');
		body.secret = secret();
	}
	if (keep.status !== 'active') {
		changes.push('reactivated');
		body.status = 'active';
	}
	if (changes.length === 0) return {action: 'unchanged', webhook: webhookJson(keep), changes, deleted, outdated: await dropOutdated()};
	const updated = await webex.webhooks.update(keep.id, body);
	const onlyReactivated = changes.length === 1 && body.status === 'active';
	return {action: onlyReactivated ? 'reactivated' : 'updated', webhook: webhookJson(updated), changes, deleted, outdated: await dropOutdated()};
}

/** One line per thing done, for people. */
export function ensureLines(result: EnsureResult): string[] {
	const {webhook} = result;
	const lines = result.deleted.map(id => `deleted duplicate ${safeText(id)} (it delivered every message a second time)`);
	if (result.action === 'created') lines.push(`created ${safeText(webhook.id)} → ${safeText(webhook.targetUrl)}`);
	else if (result.action === 'unchanged') lines.push(`${safeText(webhook.id)} → ${safeText(webhook.targetUrl)} is already as wanted (active, signed with a configured secret)`);
	else lines.push(`${result.action} ${safeText(webhook.id)}: ${result.changes.join(', ')}`);
	for (const id of result.outdated) lines.push(`deleted outdated ${safeText(id)} (its filter kept direct messages out; ${safeText(webhook.id)} replaces it)`);
	return lines;
}

export type EnsureOptions = SecretOptions & {
	apiUrl?: string;
	publicUrl?: string;
	url?: string;
	name?: string;
	filter?: string;
	json?: boolean;
};

export async function run(options: EnsureOptions, output: Output = processOutput()): Promise<number> {
	const secret = await readSecretOption(options);
	const config = loadConfig({apiUrl: options.apiUrl, publicUrl: options.publicUrl});
	const targetUrl = options.url ?? webhookTargetUrl(config);
	const {error, warning} = checkTargetUrl(targetUrl);
	if (error) throw new CommandError(`${options.url ? '--url' : 'PUBLIC_URL'} ${error}, got "${safeText(targetUrl)}"`, 2);
	if (warning) output.err(`warning: ${warning}`);
	const webex = webexForCommand(config);
	const wanted: EnsureWanted = {name: options.name ?? defaultWebhook.name, targetUrl, resource: defaultWebhook.resource, event: defaultWebhook.event, filter: options.filter ?? defaultWebhook.filter};
	try {
		const result = await ensureWebhook(webex, config, wanted, {...(secret && {secret}), note: line => output.err(line)});
		if (options.json) output.json(result);
		else for (const line of ensureLines(result)) output.out(line);
		return 0;
	} catch (failure) {
		return explainWebexError(failure, config);
	}
}
