// Heartbeats of live workers. A SIGKILLed process leaves its claims leased
// for a whole lease (30 s); its heartbeat row stops moving within a second,
// so the inbox can tell a dead owner from a slow one without shortening every
// lease. Times are each writer's clock, as for leases: replicas on several
// hosts need their clocks in step (NTP) to well under `deadAfterMs`.
import type {SqlStore} from '../../source/sql/types.js';

export interface Heartbeats {
	/** `owner` is alive now. */
	beat(owner: string): Promise<void>;
	/** `owner` stopped on purpose: its leases may be taken at once. */
	retire(owner: string): Promise<void>;
	/** Forgets owners silent for longer than `olderThanMs` (their leases have long expired). */
	forget(olderThanMs: number): Promise<number>;
}

export function createHeartbeats(store: SqlStore, clock: () => number = Date.now): Heartbeats {
	return {
		async beat(owner) {
			await store.run('INSERT INTO listener_heartbeats (owner, beat_at) VALUES ($1, $2) ON CONFLICT (owner) DO UPDATE SET beat_at = excluded.beat_at', [owner, clock()]);
		},
		async retire(owner) {
			await store.run('UPDATE listener_heartbeats SET beat_at = 0 WHERE owner = $1', [owner]);
		},
		async forget(olderThanMs) {
			return store.run('DELETE FROM listener_heartbeats WHERE beat_at < $1', [clock() - olderThanMs]);
		},
	};
}
