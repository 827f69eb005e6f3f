// /v1/webhooks: each person's webhooks, with Webex's status codes (POST 200,
// DELETE 204), validation of the documented enums, and PUT that can only
// reactivate, never deactivate.
import type Router from '@koa/router';
import type {Context} from 'koa';
import {caller} from '../auth.js';
import {optionalString, readJsonObject, requiredString} from '../body.js';
import {now} from '../clock.js';
import type {SandboxCore} from '../core.js';
import {badRequest, notFound} from '../errors.js';
import {validateMessageFilter} from '../filters.js';
import {reactivate} from '../health.js';
import {mintId} from '../ids.js';
import {paginate} from '../pagination.js';
import type {SandboxState} from '../state.js';
import type {SandboxWebhook} from '../types.js';
import {webhookView} from '../views.js';

export const webhookResources = new Set([
	'attachmentActions', 'dataSources', 'memberships', 'messages', 'rooms', 'meetings', 'recordings', 'convergedRecordings',
	'meetingParticipants', 'meetingTranscripts', 'telephony_calls', 'telephony_conference', 'telephony_mwi', 'uc_counters',
	'serviceApp', 'adminBatchJobs', 'all',
]);

export const webhookEvents = new Set([
	'created', 'updated', 'deleted', 'started', 'ended', 'joined', 'left', 'migrated', 'authorized', 'deauthorized', 'statusChanged', 'all',
]);

export function webhookRoutes(router: Router, core: SandboxCore): void {
	const {state} = core;

	router.get('/webhooks', ctx => {
		const owner = caller(ctx);
		const ownedBy = ctx.query['ownedBy'];
		if (ownedBy !== undefined && ownedBy !== 'org') throw badRequest('ownedBy only accepts org.');
		const webhooks = state.webhooks().filter(webhook => webhook.createdBy === owner.id && (ownedBy === undefined || webhook.ownedBy === 'org'));
		ctx.body = {items: paginate(ctx, webhooks, {defaultMax: 100}).map(webhookView)};
	});

	router.post('/webhooks', async ctx => {
		const owner = caller(ctx);
		const body = await readJsonObject(ctx);
		const name = requiredString(body, 'name');
		const targetUrl = checkTargetUrl(requiredString(body, 'targetUrl'));
		const resource = requiredString(body, 'resource');
		const event = requiredString(body, 'event');
		if (!webhookResources.has(resource)) throw badRequest(`resource: invalid value '${resource}'.`);
		if (!webhookEvents.has(event)) throw badRequest(`event: invalid value '${event}'.`);
		const filter = optionalString(body, 'filter');
		if (filter !== undefined && resource === 'messages') validateMessageFilter(filter, owner.id, state);
		const secret = optionalString(body, 'secret');
		const ownedBy = optionalString(body, 'ownedBy') ?? 'creator';
		if (ownedBy !== 'creator' && ownedBy !== 'org') throw badRequest(`ownedBy: invalid value '${ownedBy}'.`);
		const webhook: SandboxWebhook = {
			id: mintId('WEBHOOK'),
			name,
			targetUrl,
			resource,
			event,
			...(filter === undefined || filter === '' ? {} : {filter}),
			...(secret === undefined || secret === '' ? {} : {secret}),
			status: 'active',
			created: now(),
			ownedBy,
			orgId: owner.orgId,
			createdBy: owner.id,
			appId: state.appIdOf(owner.id),
		};
		state.addWebhook(webhook);
		ctx.body = webhookView(webhook);
	});

	router.get('/webhooks/:webhookId', ctx => {
		ctx.body = webhookView(ownWebhook(ctx, state));
	});

	router.put('/webhooks/:webhookId', async ctx => {
		const webhook = ownWebhook(ctx, state);
		const body = await readJsonObject(ctx);
		const name = requiredString(body, 'name');
		const targetUrl = checkTargetUrl(requiredString(body, 'targetUrl'));
		const secret = optionalString(body, 'secret');
		const status = optionalString(body, 'status');
		if (status !== undefined && status !== 'active') throw badRequest(`status: invalid value '${status}'; only active can be set.`);
		// Only name, targetUrl, secret and status change; Webex ignores the other fields.
		webhook.name = name;
		webhook.targetUrl = targetUrl;
		if (secret !== undefined) {
			if (secret === '') delete webhook.secret;
			else webhook.secret = secret;
		}
		if (status === 'active') reactivate(webhook, state.webhookHealth.get(webhook.id)!, core.health);
		ctx.body = webhookView(webhook);
	});

	router.delete('/webhooks/:webhookId', ctx => {
		state.deleteWebhook(ownWebhook(ctx, state).id);
		ctx.status = 204;
	});
}

/** A webhook of the caller's; other people's are as invisible as unknown ones. */
function ownWebhook(ctx: Context & {params: Record<string, string>}, state: SandboxState): SandboxWebhook {
	const webhook = state.webhook(ctx.params['webhookId']!);
	if (!webhook || webhook.createdBy !== caller(ctx).id) throw notFound('Webhook not found.');
	return webhook;
}

function checkTargetUrl(value: string): string {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw badRequest('targetUrl: invalid URL.');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest('targetUrl: must be an http or https URL.');
	return value;
}
