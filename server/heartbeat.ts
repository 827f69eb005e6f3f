// A running listener says so in the database every few seconds
// (store/instances.ts), with what the TUI's health panel shows: its sources,
// the watchdog, the last Webex error and its trackingId, the account source
// and the policy. It deletes its row when it stops; a killed one's row ages
// out. Failures to write are logged, never fatal: the heartbeat is for
// watchers, not for answering questions.
import {randomUUID} from 'node:crypto';
import {hostname} from 'node:os';
import type {SqlExecutor} from '../source/sql/types.js';
import type {WebexClientObserver} from '../source/webex/types.js';
import type {Logger} from './logger.js';
import {errorSummary} from './outcome.js';
import {removeInstance, writeInstance, type InstanceStatus} from './store/instances.js';

export interface Heartbeat {
	readonly id: string;
	/** Writes the row now (also done at start and every interval). */
	beat(): Promise<void>;
	stop(): Promise<void>;
}

export async function startHeartbeat(options: {store: SqlExecutor; status: () => InstanceStatus; logger: Logger; intervalMs?: number; clock?: () => number}): Promise<Heartbeat> {
	const clock = options.clock ?? Date.now;
	const id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
	const startedAt = clock();
	let failing = false;
	const beat = async () => {
		try {
			await writeInstance(options.store, {id, pid: process.pid, host: hostname(), startedAt, heartbeatAt: clock(), status: options.status()});
			failing = false;
		} catch (error) {
			// Once per outage, not every few seconds.
			if (!failing) options.logger.warn({outcome: 'heartbeat-failed', err: errorSummary(error)}, 'could not write the listener heartbeat');
			failing = true;
		}
	};
	await beat();
	const timer = setInterval(() => void beat(), options.intervalMs ?? 5000);
	timer.unref();
	return {
		id,
		beat,
		async stop() {
			clearInterval(timer);
			await removeInstance(options.store, id).catch(() => undefined);
		},
	};
}

/** Remembers the last Webex answer that was not 2xx, for the heartbeat (and so the health panel). */
export function lastWebexErrorObserver(): {observer: WebexClientObserver; last(): InstanceStatus['lastWebexError']} {
	let last: InstanceStatus['lastWebexError'];
	return {
		observer: {
			onResponse({method, path, status, trackingId}) {
				if (status >= 200 && status < 300) return;
				last = {at: new Date().toISOString(), method, path: path.split('?')[0] ?? path, status, ...(trackingId && {trackingId})};
			},
		},
		last: () => last,
	};
}

/** The policy in one line: where grants come from, GLOBOBOT_ALLOW, group replies and the limits. */
export function policySummary(config: {allow: readonly string[]; groupReply: string; limitLookups: {max: number; windowMs: number}; limitMisses: {max: number; windowMs: number}}): string {
	const window = (ms: number) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);
	const allow = config.allow.length === 0 ? 'no GLOBOBOT_ALLOW' : `GLOBOBOT_ALLOW ${config.allow.length} entr${config.allow.length === 1 ? 'y' : 'ies'}`;
	return `stored grants + ${allow}; group replies ${config.groupReply}; limits ${config.limitLookups.max}/${window(config.limitLookups.windowMs)} lookups, ${config.limitMisses.max}/${window(config.limitMisses.windowMs)} misses`;
}
