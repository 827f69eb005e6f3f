// Catch-up: the event source for questions asked while nobody was listening.
// Webex never redelivers a webhook POST that failed (§2.3, §1.6), so after a
// restart, a websocket reconnect or a webhook found inactive, the only way to
// learn what was missed is to list it (catchUp/readGap.ts). Each question goes
// to accept() as a delivery would; the inbox deduplicates by message id, so
// what a webhook (or an earlier pass) already brought is a duplicate.
// This file decides when to read and from where: the gap starts at the
// watermark (less an overlap) but never before GLOBOBOT_CATCH_UP ago, all in
// Webex's time; the watermark moves past a pass only once everything it found
// is recorded, and a Webex or store failure reads the same gap again later,
// with backoff. A delivery can also fail while the listener runs (a network
// blip, a proxy restarting) with nothing to trigger a pass, and later
// deliveries raise the watermark past it; so every `everyMs` a sweep reads
// from where the last pass ended, whatever the watermark says since. That
// mark is kept too (`sweptStore`), so the first pass after a restart also
// reads what failed in the minutes before the crash.
import {WebexError} from '../../source/webex/errors.js';
import type {WebexClient} from '../../source/webex/types.js';
import type {Logger} from '../logger.js';
import {createWatermark, type Watermark, type WatermarkStore} from '../store/watermark.js';
import {readGap, ReadStopped} from './catchUp/readGap.js';
import type {Accept, AcceptResult, Delivery, EventSource, SourceStatus} from './source.js';

/** What `globobot_catch_up_total{outcome}` counts: messages by accept()'s answer, and passes that failed. */
export type CatchUpOutcome = AcceptResult | 'error';

export interface PassSummary {
	reason: string;
	/** Rooms active in the gap (listed), and those that could not be read (left, or refused). */
	rooms: number;
	skippedRooms: number;
	/** Questions found in the gap (not the bot's own messages). */
	found: number;
	received: number;
	duplicates: number;
	unavailable: number;
	/** The gap read, in Webex time (epoch ms). */
	gapStart: number;
	gapEnd: number;
	/** The watermark was older than the bound: questions before `gapStart` are not answered. */
	truncated: boolean;
	durationMs: number;
}

export type CatchUpEvent =
	| {kind: 'accepted'; delivery: Delivery; result: AcceptResult}
	| {kind: 'pass'; summary: PassSummary}
	| {kind: 'failed'; reason: string; retryInMs: number}
	| {kind: 'first-start'; webexAt: number};

export interface CatchUpOptions {
	/** Reads only; its own retries handle 429 Retry-After and brief 5xx. */
	webex: WebexClient;
	/** The bot's person id: its own messages are never questions. */
	botId: string;
	watermarkStore: WatermarkStore;
	/** Where the last full pass ended, kept across restarts (the `swept` row). Absent: kept in memory only. */
	sweptStore?: WatermarkStore;
	/** GLOBOBOT_CATCH_UP: nothing created longer ago than this (Webex time) is answered. */
	boundMs: number;
	/** Webex's time now (see catchUp/webexClock.ts). Default: ours. */
	now?: () => number;
	/**
	 * How far before the watermark a pass starts reading. A delivery's `created`
	 * raises the watermark although an older message's delivery may still have
	 * failed, and Webex's `Date` has whole seconds: the overlap covers both, at
	 * the cost of a few duplicates. Default 2 minutes.
	 */
	overlapMs?: number;
	/** GLOBOBOT_CATCH_UP_EVERY: a sweep this often reads what came since the last pass ended. Default 0: none. */
	everyMs?: number;
	/** Backoff between failed passes: doubling from min to max, with jitter. Defaults 2 s and 5 min. */
	minRetryMs?: number;
	maxRetryMs?: number;
	/** At most one watermark write per this long. Default 1 s. */
	watermarkIntervalMs?: number;
	logger?: Logger;
	/** For the metric globobot_catch_up_total{outcome}. */
	onCount?(outcome: CatchUpOutcome, count: number): void;
	/** For the TUI's activity pane (through the listener's events). */
	onEvent?(event: CatchUpEvent): void;
}

export interface CatchUpSource extends EventSource {
	readonly kind: 'catch-up';
	/** Deliveries may have been missed up to now (a webhook reactivated, a websocket reconnected): read the gap again. */
	trigger(reason: string): void;
	/**
	 * Another source's delivery and what accept() said: a recorded one shows
	 * Webex reached us at its `created` time (the watermark rises, at most one
	 * write a second); an unrecorded one will not be redelivered, so it is
	 * caught up instead.
	 */
	observe(delivery: Delivery, result: AcceptResult): void;
	/** Resolves when no pass is running (a failed one may be scheduled). */
	idle(): Promise<void>;
	lastPass(): PassSummary | undefined;
}

class PassFailed extends Error {}

export function createCatchUp(options: CatchUpOptions): CatchUpSource {
	const now = options.now ?? Date.now;
	const overlapMs = options.overlapMs ?? 120_000;
	const minRetryMs = options.minRetryMs ?? 2000;
	const maxRetryMs = options.maxRetryMs ?? 300_000;
	const logger = options.logger;
	const count = (outcome: CatchUpOutcome, n = 1) => {
		if (n > 0) options.onCount?.(outcome, n);
	};
	const tell = (event: CatchUpEvent) => {
		try {
			options.onEvent?.(event);
		} catch {
			// A watcher's bug must not stop catch-up.
		}
	};

	let accept: Accept | undefined;
	let watermark: Watermark | undefined;
	let stopped = true;
	let running: Promise<void> | undefined;
	/** A trigger that came during a pass: one more pass follows (the latest reason; many triggers make one pass). */
	let rerun: string | undefined;
	let retryTimer: NodeJS.Timeout | undefined;
	let failures = 0;
	let last: PassSummary | undefined;
	let failing: {reason: string; retryAt: number} | undefined;
	/** Where the last pass that read everything ended (Webex time): a sweep reads from here, even when deliveries raised the watermark since. */
	let coveredUntil: number | undefined;
	let sweepTimer: NodeJS.Timeout | undefined;

	function trigger(reason: string): void {
		if (stopped || !accept || !watermark) return;
		// Until this gap is read, nothing may move the durable watermark past its start.
		watermark.hold(true);
		if (running) {
			rerun = reason;
			return;
		}
		// Failing: the held gap is read at the retry, and a storm of triggers (every delivery refused while the store is down) must not defeat the backoff.
		if (retryTimer) return;
		running = loop(reason).finally(() => {
			running = undefined;
		});
	}

	async function loop(reason: string): Promise<void> {
		for (let current: string | undefined = reason; current !== undefined && !stopped; current = takeRerun()) {
			try {
				const summary = await pass(current);
				last = summary;
				markSwept(summary.gapEnd);
				failures = 0;
				failing = undefined;
				watermark!.advance(summary.gapEnd);
				// Another trigger came during the pass: keep holding, read again (from the durable value: a wider gap, never a narrower one).
				if (rerun === undefined) {
					watermark!.hold(false);
					await watermark!.flush();
				}
				log(summary);
				tell({kind: 'pass', summary});
			} catch (error) {
				if (stopped) return;
				failures += 1;
				const cause = describe(error);
				const retryInMs = Math.round(Math.min(maxRetryMs, minRetryMs * 2 ** (failures - 1)) * (0.75 + Math.random() / 2));
				failing = {reason: cause, retryAt: Date.now() + retryInMs};
				count('error');
				logger?.warn({outcome: 'catch-up-failed', reason: current, cause, failures, retryInMs}, 'catch-up pass failed; the gap is kept and read again later');
				tell({kind: 'failed', reason: cause, retryInMs});
				rerun = undefined;
				retryTimer = setTimeout(() => {
					retryTimer = undefined;
					trigger(`retry after ${cause}`);
				}, retryInMs);
				retryTimer.unref();
				return;
			}
		}
	}

	/** Everything up to `at` was read: later passes start there at the latest. A failed write only costs memory's copy after a restart. */
	function markSwept(at: number): void {
		coveredUntil = Math.max(coveredUntil ?? at, at);
		options.sweptStore?.write(at).catch((error: unknown) => logger?.warn({outcome: 'watermark-write-failed', cause: describe(error)}, 'could not record where catch-up last read to; the next pass writes it again'));
	}

	function takeRerun(): string | undefined {
		const next = rerun;
		rerun = undefined;
		return next;
	}

	async function pass(reason: string): Promise<PassSummary> {
		const started = Date.now();
		// Taken before the first list: whatever Webex created before it is visible to the lists below.
		const gapEnd = now();
		const boundStart = gapEnd - options.boundMs;
		const fromWatermark = watermark!.durable! - overlapMs;
		// Also from where the last full pass ended: what failed while we ran lies between the two.
		const fromSwept = (coveredUntil ?? Number.POSITIVE_INFINITY) - overlapMs;
		const gapStart = Math.max(Math.min(fromWatermark, fromSwept), boundStart);
		// Truncated means questions asked while nobody listened were left out: the watermark's gap, not the sweep's.
		const summary: PassSummary = {reason, rooms: 0, skippedRooms: 0, found: 0, received: 0, duplicates: 0, unavailable: 0, gapStart, gapEnd, truncated: fromWatermark < boundStart, durationMs: 0};

		const read = await readGap(options.webex, options.botId, gapStart, () => stopped);
		summary.rooms = read.rooms;
		summary.skippedRooms = read.skippedRooms;
		summary.found = read.deliveries.length;
		for (const delivery of read.deliveries) {
			if (stopped) throw new ReadStopped('stopping');
			const result = await accept!(delivery);
			if (result === 'received') summary.received += 1;
			else if (result === 'duplicate') summary.duplicates += 1;
			else summary.unavailable += 1;
			count(result);
			tell({kind: 'accepted', delivery, result});
		}
		summary.durationMs = Date.now() - started;
		if (summary.unavailable > 0) {
			log(summary);
			throw new PassFailed(`${summary.unavailable} of ${summary.found} not recorded (inbox unavailable)`);
		}
		return summary;
	}

	function log(summary: PassSummary): void {
		const {reason, rooms, skippedRooms, found, received, duplicates, unavailable, truncated, durationMs} = summary;
		const fields = {outcome: 'catch-up', reason, rooms, skippedRooms, found, received, duplicates, unavailable, gapStart: iso(summary.gapStart), gapEnd: iso(summary.gapEnd), truncated, durationMs};
		if (truncated) logger?.warn(fields, 'catch-up pass; the gap was longer than GLOBOBOT_CATCH_UP: older questions are not answered');
		else logger?.info(fields, 'catch-up pass');
	}

	return {
		kind: 'catch-up',
		async start(acceptDelivery) {
			accept = acceptDelivery;
			stopped = false;
			watermark = await createWatermark(options.watermarkStore, {
				minIntervalMs: options.watermarkIntervalMs ?? 1000,
				onError: error => logger?.warn({outcome: 'watermark-write-failed', cause: describe(error)}, 'could not record the catch-up watermark; will try again'),
			});
			if (watermark.durable === undefined) {
				// The very first start: no gap is known, so nothing is answered; receiving starts now.
				const webexAt = now();
				watermark.advance(webexAt);
				await watermark.flush();
				logger?.info({outcome: 'catch-up-first-start', since: iso(webexAt)}, 'first start: nothing to catch up; questions from now on are answered');
				tell({kind: 'first-start', webexAt});
				markSwept(webexAt);
			} else {
				coveredUntil = await options.sweptStore?.read().catch(() => undefined);
				trigger('start');
			}
			if (options.everyMs) {
				// A pass under way (or failing, with its retry due) already reads this far.
				sweepTimer = setInterval(() => {
					if (!running && !retryTimer) trigger('sweep');
				}, options.everyMs);
				sweepTimer.unref();
			}
		},
		async stop() {
			stopped = true;
			if (sweepTimer) clearInterval(sweepTimer);
			sweepTimer = undefined;
			if (retryTimer) clearTimeout(retryTimer);
			retryTimer = undefined;
			// A pass stuck behind a long Retry-After is not waited for: its gap stays unread, and is read at the next start.
			if (running) await Promise.race([running, new Promise(resolve => setTimeout(resolve, 2000).unref())]);
			await watermark?.flush();
		},
		status(): SourceStatus {
			if (stopped) return {kind: 'catch-up', summary: 'catch-up stopped', live: false};
			if (failing) return {kind: 'catch-up', summary: `catch-up failing (${failing.reason}), retry in ${Math.max(0, Math.round((failing.retryAt - Date.now()) / 1000))} s`, live: false};
			if (running) return {kind: 'catch-up', summary: 'catch-up reading the gap', live: true};
			if (last) return {kind: 'catch-up', summary: `catch-up: last pass ${iso(last.gapEnd).slice(11, 19)} UTC, ${last.received} new of ${last.found} found in ${last.rooms} rooms`, live: true};
			return {kind: 'catch-up', summary: 'catch-up ready', live: true};
		},
		trigger,
		observe(delivery, result) {
			if (stopped || !watermark) return;
			if (result === 'unavailable') return trigger('a delivery could not be recorded');
			if (delivery.createdAt !== undefined && Number.isFinite(delivery.createdAt)) watermark.advance(delivery.createdAt);
		},
		async idle() {
			while (running) await running;
		},
		lastPass: () => last,
	};
}

const iso = (at: number) => new Date(at).toISOString();

/** For logs: the kind of failure, never a payload. */
function describe(error: unknown): string {
	if (error instanceof WebexError) return error.status === 0 ? 'webex-unreachable' : `webex-${error.status}`;
	if (error instanceof PassFailed || error instanceof ReadStopped) return error.message;
	return error instanceof Error ? error.name : 'unknown error';
}
