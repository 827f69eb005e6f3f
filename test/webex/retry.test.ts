import test from 'ava';
import {startSandbox} from '../../source/sandbox/index.js';
import {createWebexClient} from '../../source/webex/client.js';
import {WebexError} from '../../source/webex/errors.js';
import {runCli, tempHome} from '../helpers/cli.js';
import {backoffCeilingMs, isRetryableFailure, parseRetryAfterMs, retryDelayMs, withRetries, type RetryPolicy} from '../../source/webex/retry.js';

const policy: RetryPolicy = {retries: 5, minBackoffMs: 500, maxBackoffMs: 30_000, defaultRetryAfterMs: 15_000};

function failure(status: number, extra: Partial<ConstructorParameters<typeof WebexError>[0]> = {}): WebexError {
	return new WebexError({status, webexMessage: 'x', method: 'GET', path: '/people/me', ...extra});
}

test('Retry-After is read as seconds; anything else falls back to the default', t => {
	t.is(parseRetryAfterMs('3'), 3000);
	t.is(parseRetryAfterMs(' 1.5 '), 1500);
	t.is(parseRetryAfterMs('0'), 0);
	t.is(parseRetryAfterMs(null), undefined);
	t.is(parseRetryAfterMs('soon'), undefined);
	t.is(parseRetryAfterMs('-1'), undefined);
	t.is(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT'), undefined);
});

test('a 429 waits what Webex asked, or the default', t => {
	t.is(retryDelayMs(failure(429, {retryAfterMs: 2000}), 1, policy), 2000);
	t.is(retryDelayMs(failure(429), 1, policy), 15_000);
});

test('other failures back off exponentially with full jitter, capped', t => {
	t.is(backoffCeilingMs(1, policy), 500);
	t.is(backoffCeilingMs(3, policy), 2000);
	t.is(backoffCeilingMs(20, policy), 30_000);
	for (let attempt = 1; attempt <= 10; attempt++) {
		const delay = retryDelayMs(failure(503), attempt, policy);
		t.true(delay >= 0 && delay <= backoffCeilingMs(attempt, policy));
	}
});

test('429, 5xx, timeouts and connection errors are retried; other 4xx are not', t => {
	t.true(isRetryableFailure(failure(429), 'GET'));
	t.true(isRetryableFailure(failure(503), 'GET'));
	t.true(isRetryableFailure(failure(0, {systemCode: 'ETIMEDOUT'}), 'GET'));
	t.true(isRetryableFailure(failure(0, {systemCode: 'ECONNRESET'}), 'GET'));
	for (const status of [400, 401, 403, 404, 409]) {
		t.false(isRetryableFailure(failure(status), 'GET'), String(status));
	}
});

test('a POST is retried on 429, 5xx, timeouts and unsent requests, not on a connection broken mid-request', t => {
	t.true(isRetryableFailure(failure(429), 'POST'));
	t.true(isRetryableFailure(failure(502), 'POST'));
	t.true(isRetryableFailure(failure(0, {systemCode: 'ETIMEDOUT'}), 'POST'));
	t.true(isRetryableFailure(failure(0, {systemCode: 'ECONNREFUSED'}), 'POST'));
	t.false(isRetryableFailure(failure(0, {systemCode: 'ECONNRESET'}), 'POST'));
	t.false(isRetryableFailure(failure(400), 'POST'));
});

test('withRetries stops at the first failure that is not retryable', async t => {
	let attempts = 0;
	const error = await t.throwsAsync(withRetries(async () => {
		attempts++;
		throw failure(attempts === 1 ? 503 : 404);
	}, {policy: {...policy, minBackoffMs: 1}, isRetryable: error => error.status >= 500}));
	t.is(attempts, 2);
	t.is((error as WebexError).status, 404);
});

test('withRetries gives up after `retries` retries with the last error', async t => {
	let attempts = 0;
	const retried: number[] = [];
	const error = await t.throwsAsync(withRetries(async () => {
		attempts++;
		throw failure(500 + attempts);
	}, {policy: {...policy, retries: 2, minBackoffMs: 1}, isRetryable: () => true, onRetry: ({attempt}) => retried.push(attempt)}));
	t.is(attempts, 3);
	t.deepEqual(retried, [1, 2]);
	t.is((error as WebexError).status, 503);
});

test('withRetries with retries: Infinity keeps going until success', async t => {
	let attempts = 0;
	const result = await withRetries(async () => {
		attempts++;
		if (attempts < 12) {
			throw failure(503);
		}

		return 'ok';
	}, {policy: {...policy, retries: Number.POSITIVE_INFINITY, minBackoffMs: 1, maxBackoffMs: 2}, isRetryable: () => true});
	t.is(result, 'ok');
	t.is(attempts, 12);
});

test('aborting the signal ends a wait with the abort reason', async t => {
	const controller = new AbortController();
	const reason = new Error('shutting down');
	const pending = withRetries(async () => {
		throw failure(429, {retryAfterMs: 60_000});
	}, {policy: {...policy, signal: controller.signal}, isRetryable: () => true, onRetry() {
		controller.abort(reason);
	}});
	const error = await t.throwsAsync(pending);
	t.is(error, reason);
});

test('no wait is longer than GLOBOBOT_MAX_RETRY_AFTER (default 5 minutes)', t => {
	t.is(retryDelayMs(failure(429, {retryAfterMs: 4 * 60_000}), 1, policy), 4 * 60_000);
	t.is(retryDelayMs(failure(429), 1, {...policy, defaultRetryAfterMs: 60_000, maxRetryAfterMs: 10_000}), 10_000);
	t.is(backoffCeilingMs(20, {...policy, maxRetryAfterMs: 1000}), 1000);
});

test('a Retry-After past the cap gives the call up at once: rate-limited, retryAfterMs the cap, no wait', async t => {
	let attempts = 0;
	// 99,999,999,999 s (the year 5195), then one hour: neither parks the call.
	for (const retryAfterMs of [99_999_999_999_000, 3_600_000]) {
		const error = await t.throwsAsync(withRetries(async () => {
			attempts++;
			throw failure(429, {retryAfterMs});
		}, {policy, isRetryable: () => true}), {instanceOf: WebexError});
		t.is(error.code, 'rate-limited');
		t.is(error.retryAfterMs, 5 * 60_000);
		t.regex(error.message, /GLOBOBOT_MAX_RETRY_AFTER/);
	}
	t.is(attempts, 2, 'one attempt each: no retry was waited for');
});

test('a Retry-After within a shorter cap is waited for', async t => {
	let attempts = 0;
	const result = await withRetries(async () => {
		attempts++;
		if (attempts === 1) throw failure(429, {retryAfterMs: 5});
		return 'ok';
	}, {policy: {...policy, maxRetryAfterMs: 50}, isRetryable: () => true});
	t.is(result, 'ok');
	t.is(attempts, 2);
});

test('over real HTTP: a 429 with Retry-After 99999999999 fails the call at once, rate-limited, instead of parking it', async t => {
	const world = await startSandbox();
	t.teardown(() => world.close());
	const {token} = world.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	world.faults.add({path: '/people/me', status: 429, retryAfter: 99_999_999_999, times: 1});
	const client = createWebexClient({baseUrl: world.url, token, retries: 5});
	const error = await t.throwsAsync(client.people.me(), {instanceOf: WebexError});
	t.is(error.code, 'rate-limited');
	t.is(error.retryAfterMs, 5 * 60_000, 'the worker reschedules the event after the cap');
	t.regex(error.message, /Retry-After 99999999999 s is past the 300 s cap/);
	// The rule was used once and the call was not retried: the next call goes through.
	t.is((await client.people.me()).displayName, 'globobot');
});

test('through the CLI: a command told to wait an hour stops with a one-line reason, exit 1', async t => {
	const world = await startSandbox();
	t.teardown(() => world.close());
	const {token} = world.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	world.faults.add({path: '/webhooks', status: 429, retryAfter: 3600});
	const result = await runCli(['webhooks', 'list'], {WEBEX_API_URL: world.url, WEBEX_TOKEN: token, GLOBOBOT_HOME: tempHome(t)});
	t.is(result.code, 1);
	t.regex(result.stderr, /^globobot-admin: Webex is rate-limiting this bot \(429[^)]*\): .*Retry-After 3600 s is past the 30 s cap.*; try again later\n$/);
});
