// Reconnect delays: from 1 s doubling to 32 s, the webex-js-sdk mercury
// plugin's bounds, each drawn between half and all of its ceiling so that
// many replicas restarted together do not reconnect in step.
export interface BackoffOptions {
	minMs: number;
	maxMs: number;
	random?: () => number;
}

/** The wait before reconnect attempt `attempt` (1 = the first after a failure). */
export function reconnectDelayMs(attempt: number, {minMs, maxMs, random = Math.random}: BackoffOptions): number {
	const ceiling = Math.min(maxMs, minMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
