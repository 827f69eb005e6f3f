// Webex's auto-disable rule: a webhook whose deliveries fail `threshold` times
// within `windowMs` becomes inactive and gets nothing more until a
// PUT status=active; after that, one failure during probation disables it again.
import type {WebhookHealth} from './state.js';
import type {SandboxWebhook} from './types.js';

export interface HealthRules {
	threshold: number;
	windowMs: number;
	probationMs: number;
}

/** Counts a failed delivery; returns true when it disabled the webhook. */
export function recordFailure(webhook: SandboxWebhook, health: WebhookHealth, rules: HealthRules, at = Date.now()): boolean {
	if (webhook.status !== 'active') return false;
	if (at < health.probationUntil) return disable(webhook, health);
	health.failures = health.failures.filter(time => time > at - rules.windowMs);
	health.failures.push(at);
	return health.failures.length >= rules.threshold ? disable(webhook, health) : false;
}

export function reactivate(webhook: SandboxWebhook, health: WebhookHealth, rules: HealthRules, at = Date.now()): void {
	if (webhook.status === 'active') return;
	webhook.status = 'active';
	health.failures = [];
	health.probationUntil = at + rules.probationMs;
}

function disable(webhook: SandboxWebhook, health: WebhookHealth): true {
	webhook.status = 'inactive';
	health.failures = [];
	return true;
}
