// Fault injection for tests and rehearsals: rules that make chosen REST
// requests answer 429/5xx or slow down, and chosen deliveries slow down or
// vanish. A rule stops applying once it has been used `times` times.
import {setTimeout as sleep} from 'node:timers/promises';
import type {Context, Next} from 'koa';
import {errorBody} from './errors.js';
import type {FaultRule} from './types.js';

type FaultTarget = NonNullable<FaultRule['target']>;

interface ActiveRule {
	rule: FaultRule;
	remaining: number;
}

export class FaultRegistry {
	private rules: ActiveRule[] = [];

	add(rule: FaultRule): () => void {
		const active: ActiveRule = {rule, remaining: rule.times ?? Number.POSITIVE_INFINITY};
		this.rules.push(active);
		return () => {
			this.rules = this.rules.filter(candidate => candidate !== active);
		};
	}

	clear(): void {
		this.rules = [];
	}

	/** Picks the first rule that matches and fires (probability), and uses it up once. */
	take(target: FaultTarget, method = 'POST', path = ''): FaultRule | undefined {
		for (const active of this.rules) {
			if (active.remaining <= 0 || !matches(active.rule, target, method, path)) continue;
			if (Math.random() >= (active.rule.probability ?? 1)) continue;
			active.remaining -= 1;
			return active.rule;
		}
		return undefined;
	}
}

function matches(rule: FaultRule, target: FaultTarget, method: string, path: string): boolean {
	if ((rule.target ?? 'rest') !== target) return false;
	if (target === 'delivery') return true;
	// For the websocket, `method` is the moment asked about (websocket/hub.ts): drop, silent-pong, ignore-ack.
	if (target === 'websocket') return rule.websocket === method;
	if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
	if (rule.path === undefined) return true;
	return typeof rule.path === 'string' ? rule.path === path : rule.path.test(path);
}

/** Koa middleware applying REST faults; `apiPrefix` is stripped before matching paths. */
export function restFaults(faults: FaultRegistry, apiPrefix: string) {
	return async function injectFaults(ctx: Context, next: Next): Promise<void> {
		const path = ctx.path.startsWith(apiPrefix) ? ctx.path.slice(apiPrefix.length) || '/' : ctx.path;
		const rule = faults.take('rest', ctx.method, path);
		if (rule?.delayMs) await sleep(rule.delayMs);
		if (rule?.status === 429) {
			// Webex's documented 429 is text/html, not JSON.
			ctx.status = 429;
			ctx.set('Retry-After', String(rule.retryAfter ?? 1));
			ctx.type = 'text/html';
			ctx.body = '<html><body><h1>429 Too Many Requests</h1></body></html>';
			return;
		}
		if (rule?.status) {
			ctx.status = rule.status;
			ctx.body = errorBody(faultMessage(rule.status), String(ctx.state['trackingId']));
			return;
		}
		await next();
	};
}

function faultMessage(status: number): string {
	if (status === 502) return 'Bad gateway.';
	if (status === 503) return 'Service unavailable; please try again later.';
	if (status === 504) return 'Upstream request timed out.';
	return 'An unexpected error occurred on the server.';
}
