// listener_heartbeats: one row per live worker (its lease owner id), beaten
// every second. A row whose beat stopped belongs to a dead process: its
// leases are taken over at once instead of when they expire.
import type {StoreMigration} from '../../../source/sql/migrate.js';

export const heartbeatMigrations: StoreMigration[] = [
	{
		name: 'heartbeats/1-table',
		sql: {
			sqlite: 'CREATE TABLE IF NOT EXISTS listener_heartbeats (owner TEXT PRIMARY KEY NOT NULL, beat_at INTEGER NOT NULL) STRICT;',
			postgres: 'CREATE TABLE IF NOT EXISTS listener_heartbeats (owner TEXT PRIMARY KEY, beat_at BIGINT NOT NULL);',
		},
	},
];
