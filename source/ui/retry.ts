// How long to wait before asking Webex again after a start-up call failed for
// a transient reason (unreachable, unavailable, rate-limited). Pure.
const delaysMs = [1000, 2000, 5000, 10_000, 30_000];

/** The wait before attempt `attempt` + 1 (attempt 1 is the first try); a rate limit's own Retry-After wins when longer. */
export function retryDelayMs(attempt: number, retryAfterMs = 0): number {
	const planned = delaysMs[Math.min(Math.max(attempt, 1), delaysMs.length) - 1]!;
	return Math.max(planned, retryAfterMs);
}
