// The inbox's tables, as named store migrations. The first two are the old
// crm migrations 2 and 3 written with IF NOT EXISTS, so a database that ran
// those (and recorded versions 2 and 3 in schema_migrations) passes through
// them unchanged, and a new one gets the same schema.
//
// listener_inbox: one row per Webex message asked about, keyed by the message
// id, so a repeated delivery is a no-op. Times are epoch milliseconds on both
// backends. in_flight_until bounds a POST that may still be on its way to
// Webex: until then nobody else may claim the event, even if its worker's
// lease expired. listener_replies maps each reply Webex accepted to the event
// it answers: its primary key makes reconciliation one-to-one, so one reply
// can never settle two events.
import type {StoreMigration} from '../../../source/sql/migrate.js';

const states = "'pending', 'processing', 'sending', 'done', 'failed'";

const tables = (integer: 'INTEGER' | 'BIGINT', strict: string, notNullKey: string) => `
	CREATE TABLE IF NOT EXISTS listener_inbox (
		message_id TEXT PRIMARY KEY${notNullKey},
		room_id TEXT NOT NULL,
		room_type TEXT,
		person_id TEXT NOT NULL,
		person_email TEXT,
		parent_id TEXT,
		state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN (${states})),
		attempts INTEGER NOT NULL DEFAULT 0,
		step INTEGER NOT NULL DEFAULT 0,
		plan TEXT,
		outcome TEXT,
		last_error TEXT,
		lease_owner TEXT,
		lease_until ${integer},
		next_attempt_at ${integer} NOT NULL,
		sending_at ${integer},
		in_flight_until ${integer},
		received_at ${integer} NOT NULL,
		updated_at ${integer} NOT NULL
	)${strict};
	CREATE TABLE IF NOT EXISTS listener_replies (
		reply_id TEXT PRIMARY KEY${notNullKey},
		message_id TEXT NOT NULL,
		sent_at ${integer} NOT NULL
	)${strict};
`;

// The worker claims the oldest due event: ORDER BY next_attempt_at, received_at
// over unfinished rows. A partial index in exactly that order, of unfinished
// rows only, lets a claim stop at the first free row however large the backlog
// or the history (crm migration 3 introduced it; the first index was replaced).
const readyIndex = `
	DROP INDEX IF EXISTS listener_inbox_due;
	CREATE INDEX IF NOT EXISTS listener_inbox_ready ON listener_inbox (next_attempt_at, received_at) WHERE state IN ('pending', 'processing', 'sending');
`;

export const inboxMigrations: StoreMigration[] = [
	{name: 'inbox/1-tables', sql: {sqlite: tables('INTEGER', ' STRICT', ' NOT NULL'), postgres: tables('BIGINT', '', '')}},
	{name: 'inbox/2-ready-index', sql: readyIndex},
	// Which source recorded the event, and Webex's `created` of the message (epoch ms), for catch-up and late answers.
	{
		name: 'inbox/3-source-and-created',
		sql: {
			sqlite: "ALTER TABLE listener_inbox ADD COLUMN source TEXT NOT NULL DEFAULT 'webhook' CHECK (source IN ('webhook', 'catch-up', 'websocket'));\nALTER TABLE listener_inbox ADD COLUMN created_at INTEGER;",
			postgres: "ALTER TABLE listener_inbox ADD COLUMN source TEXT NOT NULL DEFAULT 'webhook' CHECK (source IN ('webhook', 'catch-up', 'websocket'));\nALTER TABLE listener_inbox ADD COLUMN created_at BIGINT;",
		},
	},
	// A lower bound, on Webex's clock, of when the current step's POST began: reconciliation only takes a message created after it.
	{name: 'inbox/4-sending-after', sql: {sqlite: 'ALTER TABLE listener_inbox ADD COLUMN sending_after INTEGER;', postgres: 'ALTER TABLE listener_inbox ADD COLUMN sending_after BIGINT;'}},
	// The unleased unfinished rows, in claim order: a claim finds the next free event without stepping over the ones in flight.
	{name: 'inbox/5-free-index', sql: "CREATE INDEX IF NOT EXISTS listener_inbox_free ON listener_inbox (next_attempt_at, received_at) WHERE state IN ('pending', 'processing', 'sending') AND lease_owner IS NULL;"},
];
