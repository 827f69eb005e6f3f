// The operator's side of the inbox (server/store/eventLog.ts): what operators
// did to events (an `events retry`, from the CLI or the TUI), and an index so
// that `events tail` and the TUI's Events screen can follow changes by time
// without scanning the whole history.
//
// listener_operator_actions: one row per operator action, never updated. The
// audit chain (server/store/audit.ts) records decisions and replies only, so
// operator actions are kept here, written in the same transaction as the
// change they describe.
import type {StoreMigration} from '../../../source/sql/migrate.js';

const actions = (integer: 'INTEGER' | 'BIGINT', strict: string) => `
	CREATE TABLE IF NOT EXISTS listener_operator_actions (
		id TEXT PRIMARY KEY NOT NULL,
		at ${integer} NOT NULL,
		action TEXT NOT NULL,
		message_id TEXT NOT NULL,
		operator TEXT NOT NULL,
		detail TEXT NOT NULL
	)${strict};
	CREATE INDEX IF NOT EXISTS listener_operator_actions_message ON listener_operator_actions (message_id);
`;

export const eventLogMigrations: StoreMigration[] = [
	{name: 'eventLog/1-operator-actions', sql: {sqlite: actions('INTEGER', ' STRICT'), postgres: actions('BIGINT', '')}},
	{name: 'eventLog/2-updated-index', sql: 'CREATE INDEX IF NOT EXISTS listener_inbox_updated ON listener_inbox (updated_at);'},
];
