// A leader lease in the listener store: one row per lease name, with its
// holder and expiry. Every Webex device receives every event, so replicas
// sharing a token must let only one of them hold the websocket; the holder
// renews every few seconds, and once it stops (it died, or lost the database)
// the row expires and another replica takes it over. One atomic upsert does
// acquire, renew and take over, so two contenders can never both win.
//
// Times are each replica's own clock (epoch ms): replicas whose clocks
// disagree by more than the lease's slack could overlap briefly; the inbox's
// dedupe is the second guard.
import {migrateStore, type StoreMigration} from '../../source/sql/migrate.js';
import type {SqlStore} from './sql.js';

export const leaderMigrations: readonly StoreMigration[] = [
	{
		name: 'leader/1-leases',
		sql: `CREATE TABLE IF NOT EXISTS listener_leases (
			name TEXT PRIMARY KEY NOT NULL,
			holder TEXT NOT NULL,
			expires_at BIGINT NOT NULL,
			acquired_at BIGINT NOT NULL
		)`,
	},
];

export interface LeaseHolder {
	holder: string;
	expiresAt: number;
	acquiredAt: number;
}

export interface LeaderLease {
	/** Acquires, renews or takes over an expired lease for `ttlMs`; true when `holder` now holds it. */
	tryAcquire(holder: string, ttlMs: number): Promise<boolean>;
	/** Gives the lease up at once (a graceful stop), if `holder` holds it. */
	release(holder: string): Promise<void>;
	current(): Promise<LeaseHolder | undefined>;
}

// The WHERE of DO UPDATE: only the holder itself, or anyone once the lease has expired.
const acquire = `INSERT INTO listener_leases (name, holder, expires_at, acquired_at) VALUES ($1, $2, $3, $4)
	ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
		acquired_at = CASE WHEN listener_leases.holder = excluded.holder THEN listener_leases.acquired_at ELSE excluded.acquired_at END
	WHERE listener_leases.holder = excluded.holder OR listener_leases.expires_at < $4`;

/** The lease `name` on `store` (its table created by the named migration on first use). */
export async function openLeaderLease(store: SqlStore, name: string, clock: () => number = Date.now): Promise<LeaderLease> {
	await migrateStore(store, leaderMigrations);
	return {
		async tryAcquire(holder, ttlMs) {
			const now = clock();
			return (await store.run(acquire, [name, holder, now + ttlMs, now])) === 1;
		},
		async release(holder) {
			await store.run('DELETE FROM listener_leases WHERE name = $1 AND holder = $2', [name, holder]);
		},
		async current() {
			const row = await store.get<{holder: string; expires_at: number | string; acquired_at: number | string}>('SELECT holder, expires_at, acquired_at FROM listener_leases WHERE name = $1', [name]);
			return row && {holder: row.holder, expiresAt: Number(row.expires_at), acquiredAt: Number(row.acquired_at)};
		},
	};
}
