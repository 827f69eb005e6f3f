// Delivers each new message to every active webhook that would get it on
// Webex: the owner can see the message, resource/event match and the filter
// passes. Deliveries run in the background; idle() waits for them.
import {setTimeout as sleep} from 'node:timers/promises';
import type {FaultRegistry} from './faults.js';
import {messageMatchesFilter} from './filters.js';
import {recordFailure, type HealthRules} from './health.js';
import {signBody} from './signing.js';
import type {SandboxState} from './state.js';
import type {DeliveryRecord, SandboxMessage, SandboxWebhook} from './types.js';

export type MessageEvent = 'created' | 'deleted';

export interface DeliveryOptions extends HealthRules {
	timeoutMs: number;
	extraSignatureHeader: boolean;
}

export class Deliverer {
	private readonly records: DeliveryRecord[] = [];
	private readonly pending = new Set<Promise<void>>();
	private readonly listeners = new Set<(record: DeliveryRecord) => void>();
	private readonly closing = new AbortController();

	constructor(
		private readonly state: SandboxState,
		private readonly faults: FaultRegistry,
		private readonly options: DeliveryOptions,
	) {}

	/** Starts the deliveries of a message event; returns at once. */
	messageEvent(message: SandboxMessage, event: MessageEvent): void {
		for (const webhook of this.state.webhooks()) {
			if (!this.wants(webhook, message, event)) continue;
			const attempt = this.deliver(webhook, message, event).finally(() => this.pending.delete(attempt));
			this.pending.add(attempt);
		}
	}

	deliveries(): DeliveryRecord[] {
		return [...this.records];
	}

	onDelivery(listener: (record: DeliveryRecord) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	async idle(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	async close(): Promise<void> {
		this.closing.abort();
		await this.idle();
	}

	private wants(webhook: SandboxWebhook, message: SandboxMessage, event: MessageEvent): boolean {
		if (webhook.status !== 'active') return false;
		if (webhook.resource !== 'messages' && webhook.resource !== 'all') return false;
		if (webhook.event !== event && webhook.event !== 'all') return false;
		// An org-wide webhook sees the whole org; a personal one only what its creator can read.
		if (webhook.ownedBy !== 'org' && !this.state.canSee(webhook.createdBy, message)) return false;
		return messageMatchesFilter(message, webhook.filter, webhook.createdBy);
	}

	private async deliver(webhook: SandboxWebhook, message: SandboxMessage, event: MessageEvent): Promise<void> {
		const fault = this.faults.take('delivery');
		if (fault?.delayMs) await sleep(fault.delayMs, undefined, {signal: this.closing.signal}).catch(() => {});
		// The webhook may have been disabled or deleted while this one waited.
		if (webhook.status !== 'active' || !this.state.webhook(webhook.id)) return;
		const body = JSON.stringify(envelope(webhook, message, event));
		const signature = webhook.secret ? signBody(webhook.secret, body) : undefined;
		const started = Date.now();
		const status = fault?.drop ? 0 : await this.post(webhook.targetUrl, body, signature);
		const ok = status >= 200 && status < 300;
		const record: DeliveryRecord = {
			webhookId: webhook.id,
			messageId: message.id,
			targetUrl: webhook.targetUrl,
			body,
			...(signature ? {signature} : {}),
			status,
			ok,
			at: new Date(started).toISOString(),
			durationMs: Date.now() - started,
		};
		if (!ok) {
			const health = this.state.webhookHealth.get(webhook.id);
			if (health) recordFailure(webhook, health, this.options);
		}
		this.records.push(record);
		for (const listener of this.listeners) listener(record);
	}

	/** POSTs the bytes; answers the target's status, or 0 when unreachable or too slow. */
	private async post(targetUrl: string, body: string, signature: string | undefined): Promise<number> {
		const headers: Record<string, string> = {'content-type': 'application/json'};
		if (signature) {
			headers['x-spark-signature'] = signature;
			if (this.options.extraSignatureHeader) headers['x-webex-signature'] = signature;
		}
		const signal = AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.closing.signal]);
		try {
			const response = await fetch(targetUrl, {method: 'POST', headers, body, signal});
			// Read the answer so the connection can be reused; its content does not matter.
			await response.arrayBuffer();
			return response.status;
		} catch {
			return 0;
		}
	}
}

/** The JSON Webex POSTs: the webhook's own fields, who acted, and the message's ids and metadata, never its text. */
export function envelope(webhook: SandboxWebhook, message: SandboxMessage, event: MessageEvent = 'created') {
	return {
		id: webhook.id,
		name: webhook.name,
		targetUrl: webhook.targetUrl,
		resource: 'messages',
		event,
		...(webhook.filter ? {filter: webhook.filter} : {}),
		orgId: webhook.orgId,
		createdBy: webhook.createdBy,
		appId: webhook.appId,
		ownedBy: webhook.ownedBy,
		status: 'active',
		created: webhook.created,
		actorId: message.personId,
		data: {
			id: message.id,
			roomId: message.roomId,
			roomType: message.roomType,
			personId: message.personId,
			personEmail: message.personEmail,
			...(message.mentionedPeople?.length ? {mentionedPeople: message.mentionedPeople} : {}),
			...(message.parentId ? {parentId: message.parentId} : {}),
			created: message.created,
		},
	};
}

