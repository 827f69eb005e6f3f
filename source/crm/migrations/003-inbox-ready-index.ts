import type {Migration} from '../types.js';

// The worker claims the oldest due event: ORDER BY next_attempt_at, received_at
// over unfinished rows. With only (state, next_attempt_at) indexed, every claim
// sorted the whole backlog, so claims slowed down as the backlog grew (the
// listener bench at 500/s). This partial index is in exactly that order and
// holds only unfinished rows, so a claim walks from the oldest and stops at the
// first free one, and finished rows cost it nothing.
const unfinished = "state IN ('pending', 'processing', 'sending')";

const statements = `
	DROP INDEX listener_inbox_due;
	CREATE INDEX listener_inbox_ready ON listener_inbox (next_attempt_at, received_at) WHERE ${unfinished};
`;

export const inboxReadyIndex: Migration = {
	version: 3,
	name: 'listener inbox: claim-order index of unfinished events',
	sqlite: statements,
	postgres: statements,
};
