// Runs recorded events with bounded concurrency. It claims from the inbox
// (never from memory), so events left by a previous process, or recorded by
// another replica, are found the same way as new ones: at start, on wake-up
// after a delivery, when a retry falls due, and on a slow poll.
import {randomUUID} from 'node:crypto';
import type {Logger} from './logger.js';
import {EventOutcome, errorSummary} from './outcome.js';
import type {Heartbeats} from './store/heartbeats.js';
import type {Inbox, InboxEvent, ReplyPlan} from './store/inbox.js';

export interface WorkerOptions {
	inbox: Inbox;
	concurrency: number;
	/** How long a claim is held without renewal. Renewed every third of it while working. */
	leaseMs: number;
	/** Checks the inbox at least this often (other replicas' deliveries, expired leases). */
	pollMs: number;
	logger: Logger;
	handle(event: InboxEvent, owner: string): Promise<ReplyPlan | undefined>;
	onFinished?(event: InboxEvent, plan: ReplyPlan | undefined): void;
	onFailed?(event: InboxEvent, outcome: EventOutcome): void;
	onRetry?(event: InboxEvent, reason: string, delayMs: number): void;
	/** The clock that due times are compared with (the inbox's); default Date.now. */
	clock?: () => number;
	/** Where this worker says it is alive, every `beatMs` (default 1 s), so that its leases outlive it by seconds, not a lease. */
	heartbeats?: Heartbeats;
	beatMs?: number;
}

export interface Worker {
	/** Who holds this worker's leases. */
	readonly owner: string;
	start(): void;
	/** Something new may be waiting. */
	wake(): void;
	/** Claims nothing more; resolves when in-flight events finish or the deadline passes (they stay leased, to be retried). */
	stop(deadlineMs: number): Promise<void>;
	readonly active: number;
}

const maxTimerMs = 2_147_483_647;

/** Events claimed per claim at most. */
const claimBatch = 32;

/** How often a busy worker looks through leased events for abandoned ones (a dead owner's are taken 3 s after its last beat). */
const abandonedScanMs = 250;

/** Exponential, capped: 1 s, 2 s, 4 s … 5 min. */
export function retryBackoffMs(attempts: number): number {
	return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}

export function createWorker(options: WorkerOptions): Worker {
	const owner = `${process.pid}-${randomUUID()}`;
	const clock = options.clock ?? Date.now;
	const inFlight = new Set<Promise<void>>();
	let running = false;
	let pumping = false;
	let pumpAgain = false;
	let timer: NodeJS.Timeout | undefined;
	let beating: NodeJS.Timeout | undefined;
	let lastAbandonedScan = Number.NEGATIVE_INFINITY;
	const beat = () => {
		options.heartbeats?.beat(owner).catch(error => options.logger.warn({outcome: 'heartbeat-failed', err: errorSummary(error)}, 'could not record the heartbeat'));
	};

	const pump = async () => {
		if (!running) return;
		if (pumping) {
			pumpAgain = true;
			return;
		}
		pumping = true;
		// Whether the inbox ran out of due events (rather than this worker out of slots).
		let drained = false;
		try {
			do {
				pumpAgain = false;
				while (running && inFlight.size < options.concurrency) {
					// Several at once: one claim's transaction for a burst of deliveries, not one each.
					const wanted = Math.min(claimBatch, options.concurrency - inFlight.size);
					// Abandoned events (a dead replica's, an expired lease) are looked for a few times a second, not on every claim.
					const now = clock();
					const abandoned = now - lastAbandonedScan >= abandonedScanMs || now < lastAbandonedScan;
					if (abandoned) lastAbandonedScan = now;
					const events = await options.inbox.claimMany(owner, options.leaseMs, wanted, {abandoned});
					for (const event of events) track(run(event));
					if (events.length < wanted) {
						drained = true;
						break;
					}
				}
			} while (pumpAgain && running);
		} catch (error) {
			drained = true;
			options.logger.error({outcome: 'claim-failed', err: errorSummary(error)}, 'could not claim from the inbox');
		} finally {
			pumping = false;
		}
		// With every slot busy, each finishing event pumps again; only an idle worker needs a timer.
		// (Scanning for the next due time on every delivery made answers slow down as the backlog grew.)
		if (drained) await schedule();
	};

	/** Sleeps until the next retry is due, or the poll interval, whichever comes first. */
	const schedule = async () => {
		if (!running) return;
		let delay = options.pollMs;
		try {
			const dueAt = await options.inbox.nextDueAt();
			if (dueAt !== undefined) delay = Math.min(delay, Math.max(0, dueAt - clock()) + 5);
		} catch {
			// The poll will try again.
		}
		if (!running) return;
		clearTimeout(timer);
		timer = setTimeout(() => void pump(), Math.min(delay, maxTimerMs));
		timer.unref();
	};

	const track = (promise: Promise<void>) => {
		inFlight.add(promise);
		void promise.finally(() => {
			inFlight.delete(promise);
			if (!running && inFlight.size === 0) void retire();
			void pump();
		});
	};

	/** Beats until the last event in flight is done, even after stop: a live worker's leases must not be taken. Then they are free at once. */
	const retire = async () => {
		if (!beating) return;
		clearInterval(beating);
		beating = undefined;
		await options.heartbeats?.retire(owner).catch(() => undefined);
	};

	const run = async (event: InboxEvent) => {
		const heartbeat = setInterval(() => {
			options.inbox.renew(event.messageId, owner, options.leaseMs).catch(() => undefined);
		}, Math.max(100, Math.floor(options.leaseMs / 3)));
		heartbeat.unref();
		try {
			const plan = await options.handle(event, owner);
			options.onFinished?.(event, plan);
		} catch (error) {
			await settleFailure(event, error);
		} finally {
			clearInterval(heartbeat);
		}
	};

	const settleFailure = async (event: InboxEvent, error: unknown) => {
		const outcome = error instanceof EventOutcome ? error : new EventOutcome('retry', errorSummary(error));
		try {
			if (outcome.kind === 'lost') {
				options.logger.warn({eventId: event.messageId, outcome: 'lease-lost'}, 'another worker owns the event now');
				return;
			}
			if (outcome.kind === 'failed') {
				await options.inbox.fail(event.messageId, owner, outcome.reason, outcome.reason);
				options.onFailed?.(event, outcome);
				return;
			}
			// Never dropped: back to the inbox, after what Webex asked for or our backoff.
			const delayMs = Math.max(outcome.delayMs, outcome.delayMs > 0 ? 0 : retryBackoffMs(event.attempts));
			await options.inbox.release(event.messageId, owner, delayMs, outcome.reason);
			options.onRetry?.(event, outcome.reason, delayMs);
		} catch (settleError) {
			// The lease will expire and another attempt will pick the event up.
			options.logger.error({eventId: event.messageId, outcome: 'settle-failed', err: errorSummary(settleError)}, 'could not update the inbox');
		}
	};

	return {
		owner,
		start() {
			running = true;
			if (options.heartbeats) {
				beat();
				beating = setInterval(beat, options.beatMs ?? 1000);
				beating.unref();
			}
			void pump();
		},
		wake() {
			// A busy worker will look again when a slot frees up.
			if (inFlight.size < options.concurrency) void pump();
		},
		async stop(deadlineMs) {
			running = false;
			clearTimeout(timer);
			if (inFlight.size > 0) {
				let deadline: NodeJS.Timeout | undefined;
				await Promise.race([
					Promise.allSettled([...inFlight]),
					new Promise<void>(resolve => {
						deadline = setTimeout(resolve, deadlineMs);
					}),
				]);
				clearTimeout(deadline);
			}
			if (inFlight.size === 0) await retire();
		},
		get active() {
			return inFlight.size;
		},
	};
}
