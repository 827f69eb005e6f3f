// `globobot-admin doctor`: every check an operator would otherwise do by hand,
// one line each, with what to do about a failure. Exit 1 when any fails.
import {loadConfig, webhookTargetUrl, type Config, type ConfigFlags} from '../config.js';
import {openDatabase} from '../crm/database.js';
import {describeDatabaseUrl} from '../crm/describe.js';
import {defaultWebhook, filterMissesDirectRooms} from '../defaultWebhook.js';
import {isWebexError} from '../webex/errors.js';
import type {Person, Webhook, WebexClient} from '../webex/types.js';
import {accountSourceChecks} from './accountSourceCheck.js';
import {serviceChecks} from './doctorChecks.js';
import {paint, processOutput, safeText, type Output} from './output.js';
import {describeWebexFailure, webexForCommand} from './webex.js';

export interface Check {
	name: string;
	ok: boolean;
	detail: string;
	/** What to do about a failure. */
	fix?: string;
}

/** The settings doctor reads: the API, the listener's public URL and the database (no port, host or concurrency: it starts nothing). */
export interface DoctorOptions extends Pick<ConfigFlags, 'apiUrl' | 'publicUrl' | 'database'> {
	json?: boolean;
}

export async function run(options: DoctorOptions, output: Output = processOutput()): Promise<number> {
	const config = loadConfig({apiUrl: options.apiUrl, publicUrl: options.publicUrl, database: options.database});
	const checks = [...(await webexChecks(config)), await databaseCheck(config), ...(await accountSourceChecks(config)), allowCheck(config), ...(await serviceChecks(config))];
	if (options.json) output.json(checks);
	else for (const check of checks) output.out(formatCheck(check, output));
	return checks.every(check => check.ok) ? 0 : 1;
}

/** One line per check; names and details can quote Webex (webhook names, the bot's name), so they are made safe. */
export function formatCheck(check: Check, output: Pick<Output, 'colour'> = {colour: false}): string {
	const mark = check.ok ? paint(output, 'green', '✔') : paint(output, 'red', '✘');
	return `${mark} ${safeText(check.name)}: ${safeText(check.detail)}${!check.ok && check.fix ? ` — ${safeText(check.fix)}` : ''}`;
}

async function webexChecks(config: Config): Promise<Check[]> {
	let webex: WebexClient;
	try {
		webex = webexForCommand(config);
	} catch {
		return [{name: 'token', ok: false, detail: 'WEBEX_TOKEN is not set', fix: "export the bot's access token as WEBEX_TOKEN"}];
	}
	let bot: Person;
	try {
		bot = await webex.people.me();
	} catch (error) {
		if (isWebexError(error) && error.code === 'unreachable') {
			return [{name: 'API', ok: false, detail: `cannot reach Webex at ${config.webexApiUrl} (${error.systemCode ?? error.webexMessage})`, fix: 'check WEBEX_API_URL and the network'}];
		}
		if (isWebexError(error) && error.code === 'unauthorised') {
			return [
				{name: 'API', ok: true, detail: `${config.webexApiUrl} answers`},
				{name: 'token', ok: false, detail: `Webex rejected WEBEX_TOKEN (${error.status}${error.trackingId ? `, trackingId ${error.trackingId}` : ''})`, fix: "set WEBEX_TOKEN to the bot's current access token"},
			];
		}
		return [{name: 'API', ok: false, detail: isWebexError(error) ? describeWebexFailure(error, config.webexApiUrl) : String(error), fix: 'try again later'}];
	}
	const checks: Check[] = [
		{name: 'API', ok: true, detail: `${config.webexApiUrl} answers`},
		{name: 'token', ok: true, detail: `accepted: ${bot.displayName} <${bot.emails[0] ?? '?'}>${bot.type === 'bot' ? '' : ` (a ${bot.type}, not a bot)`}`},
	];
	const webhooks: Webhook[] = [];
	try {
		for await (const webhook of webex.webhooks.list()) webhooks.push(webhook);
	} catch (error) {
		checks.push({name: 'webhooks', ok: false, detail: isWebexError(error) ? describeWebexFailure(error, config.webexApiUrl) : String(error), fix: 'try again later'});
		return checks;
	}
	return [...checks, ...webhookChecks(config, webhooks)];
}

/** The webhooks that deliver to this listener: their status and secret, and whether two would deliver the same message. */
export function webhookChecks(config: Pick<Config, 'publicUrl' | 'webhookPath' | 'webhookSecrets'>, webhooks: readonly Webhook[]): Check[] {
	const target = webhookTargetUrl(config);
	const ours = webhooks.filter(webhook => webhook.targetUrl === target);
	if (ours.length === 0) {
		return [{name: 'webhooks', ok: false, detail: `none of ${webhooks.length} targets ${target}`, fix: 'run `globobot-admin webhooks create` (or check PUBLIC_URL)'}];
	}
	const checks: Check[] = ours.map(webhook => {
		const problems: string[] = [];
		const fixes: string[] = [];
		if (webhook.status !== 'active') {
			problems.push('inactive');
			fixes.push(`run \`globobot-admin webhooks reactivate ${webhook.id}\``);
		}
		if (!webhook.secret) {
			problems.push('has no secret');
			fixes.push(`run \`globobot-admin webhooks update ${webhook.id} --secret …\` with your WEBHOOK_SECRET`);
		} else if (!config.webhookSecrets.includes(webhook.secret)) {
			problems.push('its secret is not one of WEBHOOK_SECRET');
			fixes.push('add its secret to WEBHOOK_SECRET, or update the webhook with yours');
		}
		if (deliversMessages(webhook) && filterMissesDirectRooms(webhook.filter)) {
			problems.push(`its filter ${safeText(webhook.filter ?? '')} keeps direct messages out`);
			fixes.push(webhook.name === defaultWebhook.name ? 'run `globobot-admin webhooks ensure` to replace it by one with no filter' : `create one with no filter, then \`globobot-admin webhooks delete ${webhook.id}\``);
		}
		return {
			name: `webhook ${webhook.name}`,
			ok: problems.length === 0,
			detail: problems.length === 0 ? `${webhook.id} active, signed with a configured secret` : `${webhook.id} ${problems.join(', ')}`,
			fix: fixes.join('; '),
		};
	});
	const overlapping = findOverlap(ours.filter(webhook => webhook.status === 'active' && deliversMessages(webhook)));
	checks.push(
		overlapping
			? {
					name: 'duplicates',
					ok: false,
					detail: `active webhooks ${overlapping[0].id} and ${overlapping[1].id} would both deliver the same message (globobot replies once, but each is a wasted delivery)`,
					fix: `delete one with \`globobot-admin webhooks delete ${overlapping[1].id}\``,
				}
			: {name: 'duplicates', ok: true, detail: 'no two active webhooks deliver the same message here'},
	);
	return checks;
}

const deliversMessages = (webhook: Webhook) => (webhook.resource === 'messages' || webhook.resource === 'all') && (webhook.event === 'created' || webhook.event === 'all');

function filterOf(webhook: Webhook): Map<string, string> {
	return new Map((webhook.filter ?? '').split('&').filter(Boolean).map(pair => {
		const [key = '', value = ''] = pair.split('=');
		return [key, value] as [string, string];
	}));
}

/** Two webhooks overlap unless a filter key both set (roomId, roomType, personId, personEmail) has different values. */
function findOverlap(webhooks: Webhook[]): [Webhook, Webhook] | undefined {
	for (const [index, a] of webhooks.entries()) {
		for (const b of webhooks.slice(index + 1)) {
			const fa = filterOf(a);
			const fb = filterOf(b);
			const disjoint = ['roomId', 'roomType', 'personId', 'personEmail'].some(key => fa.has(key) && fb.has(key) && fa.get(key) !== fb.get(key));
			if (!disjoint) return [a, b];
		}
	}
	return undefined;
}

async function databaseCheck(config: Config): Promise<Check> {
	try {
		// A check must not create what it checks: no database means the check fails, and nothing is written.
		const database = await openDatabase(config.databaseUrl, {create: false});
		try {
			const count = await database.accounts.count();
			// An empty CRM answers nobody: a ✘, unless balances come from CRM_URL instead.
			const empty = count === 0 && config.crmUrl === undefined;
			return {
				name: 'database',
				ok: !empty,
				detail: `${database.description}: ${count} account${count === 1 ? '' : 's'}${config.crmUrl !== undefined ? ' (balances come from CRM_URL)' : empty ? ', so nobody gets a balance' : ''}`,
				...(empty && {fix: 'import the accounts: `globobot-admin accounts import FILE` (JSON or CSV)'}),
			};
		} finally {
			await database.close();
		}
	} catch (error) {
		const reason = (error instanceof Error ? error.message.split('\n')[0]! : String(error)).replace(/^DATABASE_URL: /, '');
		// The file rules' messages name the path already; a driver's does not.
		const detail = reason.includes(config.databaseUrl) || reason.startsWith('cannot open') ? reason : `cannot open ${describeDatabaseUrl(config.databaseUrl)}: ${reason}`;
		return {name: 'database', ok: false, detail, fix: 'check DATABASE_URL'};
	}
}

function allowCheck(config: Config): Check {
	if (config.allow.length === 0) {
		return {name: 'allow-list', ok: false, detail: 'GLOBOBOT_ALLOW is empty, so nobody gets a balance', fix: 'set GLOBOBOT_ALLOW to emails, @domains, or *'};
	}
	return {name: 'allow-list', ok: true, detail: config.allow.includes('*') ? 'everyone may ask (*)' : `${config.allow.length} entr${config.allow.length === 1 ? 'y' : 'ies'}`};
}
