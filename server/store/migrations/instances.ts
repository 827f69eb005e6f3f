// listener_instances: one row per running listener (serve, or a TUI's embedded
// one), rewritten every few seconds while it runs and deleted when it stops.
// The TUI's attach mode finds a running `serve` by it, and shows that
// listener's health (sources, watchdog, last Webex error) from its status.
import type {StoreMigration} from '../../../source/sql/migrate.js';

const table = (integer: 'INTEGER' | 'BIGINT', strict: string) => `
	CREATE TABLE IF NOT EXISTS listener_instances (
		instance_id TEXT PRIMARY KEY NOT NULL,
		pid INTEGER NOT NULL,
		host TEXT NOT NULL,
		started_at ${integer} NOT NULL,
		heartbeat_at ${integer} NOT NULL,
		status TEXT NOT NULL
	)${strict};
`;

export const instanceMigrations: StoreMigration[] = [{name: 'instances/1-table', sql: {sqlite: table('INTEGER', ' STRICT'), postgres: table('BIGINT', '')}}];
