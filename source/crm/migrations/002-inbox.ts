import type {Migration} from '../types.js';

// The listener's durable event inbox (server/inbox.ts). One row per Webex
// message asked about, keyed by the message id, so a repeated delivery is a
// no-op. Times are epoch milliseconds on both backends, compared as integers.
// in_flight_until bounds a POST that may still be on its way to Webex: until
// then nobody else may claim the event, even if its worker's lease expired.
// listener_replies maps each reply Webex accepted to the event it answers:
// its primary key makes the reconciliation after a crash one-to-one, so one
// reply can never settle two events.
const states = "'pending', 'processing', 'sending', 'done', 'failed'";

export const inbox: Migration = {
	version: 2,
	name: 'listener inbox',
	sqlite: `
		CREATE TABLE listener_inbox (
			message_id TEXT PRIMARY KEY NOT NULL,
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
			lease_until INTEGER,
			next_attempt_at INTEGER NOT NULL,
			sending_at INTEGER,
			in_flight_until INTEGER,
			received_at INTEGER NOT NULL,
			updated_at INTEGER NOT NULL
		) STRICT;
		CREATE INDEX listener_inbox_due ON listener_inbox (state, next_attempt_at);
		CREATE TABLE listener_replies (
			reply_id TEXT PRIMARY KEY NOT NULL,
			message_id TEXT NOT NULL,
			sent_at INTEGER NOT NULL
		) STRICT;
	`,
	postgres: `
		CREATE TABLE listener_inbox (
			message_id TEXT PRIMARY KEY,
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
			lease_until BIGINT,
			next_attempt_at BIGINT NOT NULL,
			sending_at BIGINT,
			in_flight_until BIGINT,
			received_at BIGINT NOT NULL,
			updated_at BIGINT NOT NULL
		);
		CREATE INDEX listener_inbox_due ON listener_inbox (state, next_attempt_at);
		CREATE TABLE listener_replies (
			reply_id TEXT PRIMARY KEY,
			message_id TEXT NOT NULL,
			sent_at BIGINT NOT NULL
		);
	`,
};
