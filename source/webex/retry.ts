import {setTimeout as sleep} from 'node:timers/promises';
import pRetry, {AbortError} from 'p-retry';
import {WebexError} from './errors.js';

export interface RetryPolicy {
	/** Retries after the first attempt; Infinity retries until success or abort. */
	retries: number;
	minBackoffMs: number;
	maxBackoffMs: number;
	defaultRetryAfterMs: number;
	/** The longest wait this client sits through (GLOBOBOT_MAX_RETRY_AFTER); default 5 minutes. */
	maxRetryAfterMs?: number;
	signal?: AbortSignal;
}

/** GLOBOBOT_MAX_RETRY_AFTER's default. */
export const defaultMaxRetryAfterMs = 5 * 60_000;

export interface RetryNotice {
	error: WebexError;
	/** The attempt that just failed, 1-based; it is also the number of the retry about to happen. */
	attempt: number;
	delayMs: number;
}

export interface RetryOptions {
	policy: RetryPolicy;
	/** Whether this failure may be tried again (depends on the request's method as well as the error). */
	isRetryable(error: WebexError): boolean;
	onRetry?(notice: RetryNotice): void;
}

/** setTimeout silently fires at once above this, so longer waits are capped to it. */
const longestTimerMs = 2_147_483_647;

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, the retries
 * run out or the policy's signal aborts. p-retry drives the loop; the wait
 * itself is ours (p-retry's built-in delay is switched off with
 * minTimeout 0) because a 429 must wait exactly what Webex asked for.
 */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
	const {policy} = options;
	return pRetry(async () => {
		try {
			return await attempt();
		} catch (error) {
			throw classify(error, options);
		}
	}, {
		retries: policy.retries,
		minTimeout: 0,
		signal: policy.signal,
		async onFailedAttempt({error, attemptNumber, retriesLeft}) {
			if (retriesLeft <= 0 || !(error instanceof WebexError)) {
				return;
			}

			const delayMs = retryDelayMs(error, attemptNumber, policy);
			options.onRetry?.({error, attempt: attemptNumber, delayMs});
			await wait(delayMs, policy.signal);
		},
	});
}

/** Decides, per failure, whether p-retry may go on: anything we must not retry is wrapped in its AbortError. */
function classify(error: unknown, options: RetryOptions): Error {
	const {signal} = options.policy;
	if (signal?.aborted) {
		return new AbortError(asError(signal.reason));
	}

	if (error instanceof WebexError && exceedsCap(error, options.policy)) {
		return new AbortError(capped(error, maxWaitMs(options.policy)));
	}

	if (error instanceof WebexError && options.isRetryable(error)) {
		return error;
	}

	return new AbortError(asError(error));
}

const maxWaitMs = (policy: RetryPolicy) => Math.min(policy.maxRetryAfterMs ?? defaultMaxRetryAfterMs, longestTimerMs);

const exceedsCap = (error: WebexError, policy: RetryPolicy) => error.retryAfterMs !== undefined && error.retryAfterMs > maxWaitMs(policy);

/**
 * Past the cap the call is given up at once, with no wait: a rate-limited
 * WebexError whose retryAfterMs is the cap, so whoever schedules the work
 * again (the listener's worker, which keeps the event in the inbox, visible
 * as delayed) asks Webex again after the cap instead of parking the event for
 * as long as any Retry-After says. A Retry-After of 3,600 s with the default
 * 5 m cap: the event is tried again every 5 minutes until Webex lets it
 * through; a command fails at once, saying how long Webex asked to wait.
 */
function capped(error: WebexError, capMs: number): WebexError {
	return new WebexError({
		status: error.status,
		webexMessage: `${error.webexMessage} (Retry-After ${Math.round((error.retryAfterMs ?? 0) / 1000)} s is past the ${Math.round(capMs / 1000)} s cap, GLOBOBOT_MAX_RETRY_AFTER)`,
		method: error.method,
		path: error.path,
		trackingId: error.trackingId,
		requestTrackingId: error.requestTrackingId,
		retryAfterMs: capMs,
		systemCode: error.systemCode,
		cause: error,
	});
}

/**
 * 429: what Retry-After said (the client's default when it said nothing
 * usable). Everything else: exponential backoff with full jitter, so that many
 * clients failing together do not come back together.
 */
export function retryDelayMs(error: WebexError, attempt: number, policy: RetryPolicy): number {
	if (error.status === 429) {
		return Math.min(error.retryAfterMs ?? policy.defaultRetryAfterMs, maxWaitMs(policy));
	}

	return Math.round(Math.random() * backoffCeilingMs(attempt, policy));
}

/** The upper bound of the jittered wait before retry number `attempt` (1-based). */
export function backoffCeilingMs(attempt: number, policy: RetryPolicy): number {
	const exponential = policy.minBackoffMs * (2 ** Math.max(0, attempt - 1));
	return Math.min(exponential, policy.maxBackoffMs, maxWaitMs(policy));
}

/**
 * Webex sends Retry-After in seconds. An HTTP-date, a negative number or
 * garbage gives undefined, so the caller falls back to its default wait.
 */
export function parseRetryAfterMs(value: string | null | undefined): number | undefined {
	if (value === null || value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) {
		return undefined;
	}

	return Math.round(Number(value) * 1000);
}

async function wait(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
	if (delayMs <= 0) {
		return;
	}

	try {
		await sleep(delayMs, undefined, {signal});
	} catch (error) {
		// Surface the caller's own abort reason rather than the timer's wrapper.
		signal?.throwIfAborted();
		throw error;
	}
}

function asError(value: unknown): Error {
	return value instanceof Error ? value : new Error(String(value));
}

/**
 * Connection failures where the request certainly never reached Webex, so
 * even a non-idempotent POST can be sent again.
 */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * 429, 5xx, timeouts and connection errors are worth another try; other 4xx
 * (and 3xx, and a 2xx we could not read) would fail the same way again.
 *
 * A POST is not idempotent: a POST /messages that timed out, or got a 5xx
 * from a gateway, may still have been applied, so retrying it can post the
 * reply twice. globobot accepts that (the listener reconciles by looking
 * for its reply before posting again) because dropping a reply is worse; but
 * a connection that broke mid-request is only retried when it was a GET, PUT
 * or DELETE, or when the request never left (connection refused, DNS).
 */
export function isRetryableFailure(error: WebexError, method: string): boolean {
	if (error.status === 429 || error.status >= 500) {
		return true;
	}

	if (error.status !== 0) {
		return false;
	}

	if (error.systemCode === 'ETIMEDOUT' || method !== 'POST') {
		return true;
	}

	return error.systemCode !== undefined && notSentCodes.has(error.systemCode);
}
