// The audit table, as named store migrations (source/sql/migrate.ts). One
// table holds the whole chain; each kind of entry uses its own columns and
// leaves the others null. Times are ISO text (toISOString: fixed width, UTC),
// so they are hashed exactly as stored and compare as text.
//
// The table refuses changes: on SQLite a trigger refuses every UPDATE, and
// every DELETE unless audit_prune_guard holds a row, which only pruneAudit's
// own transaction inserts (and removes). PostgreSQL's trigger does the same
// with a transaction-local setting. Triggers stop accidents and casual edits
// by whoever can write the database; the README's insert-only role stops the
// listener's own credentials; `audit verify` catches whatever gets past both.
import type {StoreMigration} from '../../../source/sql/migrate.js';

const columns = (integer: string) => `
	kind TEXT NOT NULL CHECK (kind IN ('decision', 'reply-sent', 'prune')),
	at TEXT NOT NULL,
	event_id TEXT,
	source TEXT,
	requester_email TEXT,
	requester_id TEXT,
	room_id TEXT,
	room_type TEXT,
	accounts TEXT,
	reply TEXT,
	delivered_to TEXT,
	decision_seq ${integer},
	reply_ids TEXT,
	pruned_before TEXT,
	through_seq ${integer},
	through_hash TEXT,
	removed ${integer},
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL`;

const indexes = `
CREATE INDEX audit_entries_at ON audit_entries (at);
CREATE UNIQUE INDEX audit_entries_decision ON audit_entries (event_id) WHERE kind = 'decision';
CREATE INDEX audit_entries_reply ON audit_entries (decision_seq) WHERE kind = 'reply-sent';
CREATE INDEX audit_entries_requester ON audit_entries (requester_email)`;

export const auditMigrations: readonly StoreMigration[] = [
	{
		name: 'audit/1-entries',
		sql: {
			sqlite: `
CREATE TABLE audit_entries (seq INTEGER PRIMARY KEY NOT NULL, ${columns('INTEGER')}) STRICT;
${indexes};
CREATE TABLE audit_prune_guard (pruning INTEGER NOT NULL) STRICT;
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries WHEN NOT EXISTS (SELECT 1 FROM audit_prune_guard) BEGIN SELECT RAISE(ABORT, 'audit entries are removed only by globobot-admin audit prune'); END;
`,
			postgres: `
CREATE TABLE audit_entries (seq BIGINT PRIMARY KEY, ${columns('BIGINT')});
${indexes};
CREATE FUNCTION audit_entries_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' AND current_setting('globobot.audit_prune', true) = 'on' THEN RETURN OLD; END IF; RAISE EXCEPTION 'audit entries cannot be changed (only globobot-admin audit prune removes them)'; END $$;
CREATE TRIGGER audit_entries_guard BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_guard();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_guard();
`,
		},
	},
];
