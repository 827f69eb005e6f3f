// GLOBOBOT_AUDIT_RETENTION, applied: the listener prunes entries older than
// the retention once a day. Replicas may all run it; the chain lock makes
// them take turns and the later ones find nothing left to remove. A chain
// that no longer verifies is never pruned (that would remove the evidence):
// the failure is reported instead, every day, until someone looks.
import type {SqlStore} from '../../../source/sql/types.js';
import {type PruneResult, pruneAudit} from './prune.js';
import {AuditError} from './types.js';
import {verifyAudit} from './verify.js';

export interface RetentionOptions {
	/** Between runs (default a day). */
	intervalMs?: number;
	/** Before the first run (default a minute: not during start-up). */
	firstRunMs?: number;
	onPruned?: (result: PruneResult) => void;
	onError?: (error: unknown) => void;
	now?: () => Date;
}

/** One pass: verify, then prune what is older than the retention. */
export async function applyAuditRetention(store: SqlStore, retentionMs: number, now: Date = new Date()): Promise<PruneResult> {
	const verified = await verifyAudit(store);
	if (!verified.ok) throw new AuditError(`audit chain broken at entry ${verified.seq}: ${verified.problem}; not pruning (run globobot-admin audit verify)`);
	return pruneAudit(store, new Date(now.getTime() - retentionMs), {now});
}

export function startAuditRetention(store: SqlStore, retentionMs: number, options: RetentionOptions = {}): {stop(): void} {
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const schedule = (delay: number) => {
		if (stopped) return;
		timer = setTimeout(() => {
			applyAuditRetention(store, retentionMs, options.now?.())
				.then(result => options.onPruned?.(result), error => options.onError?.(error))
				.finally(() => schedule(options.intervalMs ?? 86_400_000));
		}, delay);
		// Never what keeps the process alive.
		timer.unref();
	};
	schedule(options.firstRunMs ?? 60_000);
	return {
		stop() {
			stopped = true;
			clearTimeout(timer);
		},
	};
}
