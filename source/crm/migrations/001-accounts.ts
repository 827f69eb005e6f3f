import type {Migration} from '../types.js';

// Money is BIGINT minor units; ids are stored normalised (upper-case) so the
// primary key is the case-insensitive lookup.
export const accounts: Migration = {
	version: 1,
	name: 'accounts',
	sqlite: `
		CREATE TABLE accounts (
			id TEXT PRIMARY KEY NOT NULL,
			due INTEGER NOT NULL CHECK (due >= 0),
			paid INTEGER NOT NULL CHECK (paid >= 0),
			currency TEXT NOT NULL DEFAULT 'USD',
			updated_at TEXT NOT NULL
		) STRICT, WITHOUT ROWID;
	`,
	postgres: `
		CREATE TABLE accounts (
			id TEXT PRIMARY KEY,
			due BIGINT NOT NULL CHECK (due >= 0),
			paid BIGINT NOT NULL CHECK (paid >= 0),
			currency TEXT NOT NULL DEFAULT 'USD',
			updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
		);
	`,
};
