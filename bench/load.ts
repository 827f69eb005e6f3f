// The load generator and measuring helpers of the listener bench.
//
// `sendAtRate` is open-loop: it starts request i at i/rate seconds whatever the
// answers do, over a pool of keep-alive connections. A slow server therefore
// shows up as latency (and as fewer answers), never as a politely lower rate.
// autocannon's `overallRate` is not used because it sends each connection's
// share of a second back to back at the start of that second: a burst every
// second, not a steady 500/s.
import {readFile} from 'node:fs/promises';
import http from 'node:http';
import {setTimeout as sleep} from 'node:timers/promises';
import {freePort} from '../test/helpers/poll.js';

export {freePort};

export interface LoadRequest {
	body: Buffer;
	headers: Record<string, string>;
}

export interface LoadOptions {
	/** The full URL POSTed to. */
	url: string;
	/** Requests started per second. */
	rate: number;
	seconds: number;
	/** Builds request `index` (0-based) just before it is sent. */
	request(index: number): LoadRequest;
	/** Called as request `index` starts, with performance.now(). */
	onSent?(index: number, at: number): void;
	/** Called when request `index` has its answer (status 0: none). */
	onAnswered?(index: number, status: number): void;
	/** Open connections at most (further requests wait for one, and that wait counts as latency). Default 256. */
	maxSockets?: number;
	/** A request without an answer after this long counts as an error. Default 10 s. */
	timeoutMs?: number;
}

export interface LoadResult {
	sent: number;
	/** 2xx answers. */
	ok: number;
	/** Answers by status; 0 for no answer (connection error, timeout). */
	statuses: Record<number, number>;
	/** Latency of each 2xx answer, ms, sorted. */
	latenciesMs: Float64Array;
	/** From the first start to the last answer. */
	elapsedMs: number;
}

/** Starts `rate × seconds` POSTs at a fixed rate; resolves once every one has an answer or has failed. */
export async function sendAtRate(options: LoadOptions): Promise<LoadResult> {
	const total = Math.round(options.rate * options.seconds);
	const target = new URL(options.url);
	const agent = new http.Agent({keepAlive: true, maxSockets: options.maxSockets ?? 256});
	const timeoutMs = options.timeoutMs ?? 10_000;
	const latencies = new Float64Array(total);
	const statuses: Record<number, number> = {};
	let ok = 0;
	let lastAnswer = 0;
	const pending = new Set<Promise<void>>();

	const post = async (index: number) => {
		const {body, headers} = options.request(index);
		const started = performance.now();
		options.onSent?.(index, started);
		const status = await postOnce(target, agent, body, headers, timeoutMs);
		const ended = performance.now();
		options.onAnswered?.(index, status);
		lastAnswer = Math.max(lastAnswer, ended);
		statuses[status] = (statuses[status] ?? 0) + 1;
		if (status >= 200 && status < 300) latencies[ok++] = ended - started;
	};

	const begin = performance.now();
	let next = 0;
	while (next < total) {
		const due = Math.min(total, Math.floor(((performance.now() - begin) * options.rate) / 1000) + 1);
		for (; next < due; next++) {
			const request = post(next).finally(() => pending.delete(request));
			pending.add(request);
		}
		// The next start is due in 1/rate s; timers are ms-grained, so a tick may start several.
		if (next < total) await sleep(Math.max(1, Math.floor(((next / options.rate) * 1000) - (performance.now() - begin))));
	}
	await Promise.allSettled([...pending]);
	agent.destroy();
	const answered = latencies.subarray(0, ok).sort();
	return {sent: total, ok, statuses, latenciesMs: answered, elapsedMs: Math.max(0, lastAnswer - begin)};
}

/** One POST; resolves with the status, or 0 when there was no answer. The answer's body is read and discarded. */
async function postOnce(target: URL, agent: http.Agent, body: Buffer, headers: Record<string, string>, timeoutMs: number): Promise<number> {
	return new Promise(resolve => {
		const request = http.request(
			{
				host: target.hostname,
				port: target.port,
				path: target.pathname + target.search,
				method: 'POST',
				agent,
				headers: {'content-length': String(body.length), ...headers},
				timeout: timeoutMs,
			},
			response => {
				response.resume();
				response.once('end', () => resolve(response.statusCode ?? 0));
				response.once('error', () => resolve(0));
			},
		);
		request.once('timeout', () => request.destroy(new Error('timeout')));
		request.once('error', () => resolve(0));
		request.end(body);
	});
}

/** The value at `fraction` (0..1) of sorted values; undefined when there are none. */
export function percentile(sorted: ArrayLike<number>, fraction: number): number | undefined {
	if (sorted.length === 0) return undefined;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/** The median of the defined values; undefined when none is. */
export function median(values: ReadonlyArray<number | undefined>): number | undefined {
	const sorted = values.filter((value): value is number => value !== undefined && Number.isFinite(value)).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A process's peak resident set (VmHWM), in bytes; undefined when it cannot be read (not Linux, process gone). */
export async function peakRssBytes(pid: number): Promise<number | undefined> {
	try {
		const status = await readFile(`/proc/${pid}/status`, 'utf8');
		const kilobytes = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
		return kilobytes === undefined ? undefined : Number(kilobytes) * 1024;
	} catch {
		return undefined;
	}
}


/** Polls `url` until it answers 2xx; throws after `timeoutMs` or when `stillAlive` says the server died. */
export async function waitUntilAnswering(url: string, timeoutMs = 20_000, stillAlive: () => boolean = () => true): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!stillAlive()) throw new Error(`the server for ${url} exited before answering`);
		try {
			const response = await fetch(url, {signal: AbortSignal.timeout(1000)});
			await response.arrayBuffer();
			if (response.ok) return;
		} catch {
			// Not listening yet.
		}
		if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
		await sleep(50);
	}
}
