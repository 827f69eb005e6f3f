// Every table of the listener store, as named migrations (source/sql/migrate.ts),
// applied by the listener at start. A new table is a new file next to this one
// plus one line here; names, not numbers, so features built side by side never
// collide.
import type {StoreMigration} from '../../../source/sql/migrate.js';
import {eventLogMigrations} from './eventLog.js';
import {heartbeatMigrations} from './heartbeats.js';
import {auditMigrations} from '../audit/migrations.js';
import {inboxMigrations} from './inbox.js';
import {instanceMigrations} from './instances.js';

export const listenerMigrations: StoreMigration[] = [
	...inboxMigrations,
	...eventLogMigrations,
	...instanceMigrations,
	...heartbeatMigrations,
	...auditMigrations,
];
