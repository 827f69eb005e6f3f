// `globobot-admin webhooks list|create|update|reactivate|delete`: the original
// demo's add_webhook.py, get_webhook.sh and delete_webhook.sh, scriptable and safe.
import {createInterface} from 'node:readline/promises';
import {loadConfig, webhookTargetUrl, type Config} from '../config.js';
import {defaultWebhook} from '../defaultWebhook.js';
import {ensureWebhookSecret} from '../secretStore.js';
import {checkTargetUrl} from '../webhookTarget.js';
import {isWebexError} from '../webex/errors.js';
import type {Webhook, WebexClient} from '../webex/types.js';
import {paint, processOutput, safeText, type Output} from './output.js';
import {CommandError} from './run.js';
import {readSecretOption} from './secretOption.js';
import {explainWebexError, webexForCommand} from './webex.js';

export interface WebhooksOptions {
	action: 'list' | 'create' | 'update' | 'reactivate' | 'delete';
	apiUrl?: string;
	/** create: the listener's base URL the default target is made from (PUBLIC_URL). */
	publicUrl?: string;
	json?: boolean;
	id?: string;
	ids?: string[];
	url?: string;
	name?: string;
	resource?: string;
	event?: string;
	filter?: string;
	secret?: string;
	/** Read the secret from this file (keeps it out of `ps` and shell history). */
	secretFile?: string;
	/** Read the secret from standard input. */
	secretStdin?: boolean;
	yes?: boolean;
	/** Whether a person can answer a question (defaults to stdin being a terminal). */
	interactive?: boolean;
}

/** The stable `--json` shape of a webhook: every field but the secret, which becomes `hasSecret`. */
export interface WebhookJson {
	id: string;
	name: string;
	targetUrl: string;
	resource: string;
	event: string;
	filter: string | null;
	status: string;
	hasSecret: boolean;
	created: string;
}

export function webhookJson(webhook: Webhook): WebhookJson {
	return {
		id: webhook.id,
		name: webhook.name,
		targetUrl: webhook.targetUrl,
		resource: webhook.resource,
		event: webhook.event,
		filter: webhook.filter ?? null,
		status: webhook.status,
		hasSecret: Boolean(webhook.secret),
		created: webhook.created,
	};
}

export async function run(options: WebhooksOptions, output: Output = processOutput()): Promise<number> {
	const config = loadConfig({apiUrl: options.apiUrl, publicUrl: options.publicUrl});
	const secret = await readSecretOption(options);
	const webex = webexForCommand(config);
	const io: Io = {...output, asJson: options.json === true};
	const withSecret = {...options, secret};
	try {
		switch (options.action) {
			case 'list':
				return await list(webex, config, io);
			case 'create':
				return await create(webex, config, withSecret, io);
			case 'update':
				return await update(webex, required(options.id), withSecret, io);
			case 'reactivate':
				return await reactivate(webex, required(options.id), io);
			case 'delete':
				return await remove(webex, options.ids ?? [], options, io);
		}
	} catch (error) {
		explainWebexError(error, config);
	}
}

/** The command's Output, and whether --json was asked for. */
type Io = Output & {asJson: boolean};

const required = (id: string | undefined) => {
	if (!id) throw new CommandError('a webhook id is required', 2);
	return id;
};

async function list(webex: WebexClient, config: Config, io: Io): Promise<number> {
	const webhooks: Webhook[] = [];
	for await (const webhook of webex.webhooks.list()) webhooks.push(webhook);
	if (io.asJson) {
		io.json(webhooks.map(webhookJson));
		return 0;
	}
	if (webhooks.length === 0) {
		io.out('no webhooks (create one with `globobot-admin webhooks create`)');
		return 0;
	}
	const ours = webhookTargetUrl(config);
	for (const webhook of webhooks) {
		// Every field comes from Webex, so from whoever can create a webhook: made safe before it reaches the terminal.
		const marks = [webhook.status === 'active' ? 'active' : `${paint(io, 'red', 'INACTIVE')} (reactivate it with \`webhooks reactivate ID\`)`, webhook.secret ? 'signed' : 'no secret'];
		if (webhook.targetUrl === ours) marks.push('this listener');
		io.out(`${safeText(webhook.id)}  ${safeText(webhook.name)}  ${safeText(webhook.resource)}:${safeText(webhook.event)}${webhook.filter ? ` [${safeText(webhook.filter)}]` : ''}`);
		io.out(`    → ${safeText(webhook.targetUrl)}  (${marks.join(', ')})`);
	}
	io.out(`${webhooks.length} webhook${webhooks.length === 1 ? '' : 's'}`);
	return 0;
}

/** The shared target-URL rule (source/webhookTarget.ts): an error stops the command (exit 2), a warning is printed. */
function requireTargetUrl(url: string, io: Io) {
	const {error, warning} = checkTargetUrl(url);
	if (error) throw new CommandError(`--url ${error}, got "${safeText(url)}"`, 2);
	if (warning) io.err(`warning: ${warning}`);
}

async function create(webex: WebexClient, config: Config, options: WebhooksOptions, io: Io): Promise<number> {
	const targetUrl = options.url ?? webhookTargetUrl(config);
	requireTargetUrl(targetUrl, io);
	let secret = options.secret;
	if (!secret) {
		const ensured = ensureWebhookSecret(config);
		secret = ensured.secret;
		if (ensured.generated) io.err(`generated a webhook secret and saved it to ${config.secretFile} (owner-only); the listener reads it from there`);
	}
	const filter = options.filter ?? defaultWebhook.filter;
	const webhook = await webex.webhooks.create({
		name: options.name ?? defaultWebhook.name,
		targetUrl,
		resource: options.resource ?? defaultWebhook.resource,
		event: options.event ?? defaultWebhook.event,
		...(filter && {filter}),
		secret,
	});
	if (io.asJson) io.json(webhookJson(webhook));
	else io.out(`created ${safeText(webhook.id)} → ${safeText(webhook.targetUrl)}`);
	return 0;
}

async function update(webex: WebexClient, id: string, options: WebhooksOptions, io: Io): Promise<number> {
	if (!options.url && !options.name && !options.secret) throw new CommandError('nothing to change: give --url, --name or --secret (or --secret-file, --secret-stdin)', 2);
	if (options.url) requireTargetUrl(options.url, io);
	// Webex's PUT requires name and targetUrl, so unchanged fields are read back first.
	const current = await webex.webhooks.get(id);
	const webhook = await webex.webhooks.update(id, {
		name: options.name ?? current.name,
		targetUrl: options.url ?? current.targetUrl,
		...(options.secret ? {secret: options.secret} : {}),
	});
	if (io.asJson) io.json(webhookJson(webhook));
	else io.out(`updated ${safeText(webhook.id)}`);
	return 0;
}

async function reactivate(webex: WebexClient, id: string, io: Io): Promise<number> {
	const current = await webex.webhooks.get(id);
	const webhook = current.status === 'active' ? current : await webex.webhooks.update(id, {name: current.name, targetUrl: current.targetUrl, status: 'active'});
	if (io.asJson) io.json(webhookJson(webhook));
	else io.out(current.status === 'active' ? `${safeText(id)} is already active` : `reactivated ${safeText(id)}`);
	return 0;
}

async function remove(webex: WebexClient, ids: string[], options: WebhooksOptions, io: Io): Promise<number> {
	if (ids.length === 0) throw new CommandError('give at least one webhook id', 2);
	if (!options.yes) {
		const interactive = options.interactive ?? process.stdin.isTTY === true;
		if (!interactive) throw new CommandError('refusing to delete without --yes when not in a terminal', 2);
		const prompt = createInterface({input: process.stdin, output: process.stderr});
		const answer = await prompt.question(`delete ${ids.length} webhook${ids.length === 1 ? '' : 's'}? [y/N] `);
		prompt.close();
		if (!/^y(es)?$/i.test(answer.trim())) {
			io.err('cancelled; nothing deleted');
			return 1;
		}
	}
	const deleted: string[] = [];
	const failed: Array<{id: string; error: string}> = [];
	for (const id of ids) {
		try {
			await webex.webhooks.delete(id);
			deleted.push(id);
			if (!io.asJson) io.out(`deleted ${safeText(id)}`);
		} catch (error) {
			// A 401 or an unreachable API ends the command; an unknown id is reported and the rest go on.
			if (isWebexError(error) && error.code === 'not-found') {
				failed.push({id, error: 'no such webhook'});
				io.err(`no webhook ${safeText(id)}`);
			} else throw error;
		}
	}
	if (io.asJson) io.json({deleted, failed});
	return failed.length > 0 ? 1 : 0;
}
