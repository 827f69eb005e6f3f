// Every migration of the accounts schema, oldest first. A new one is a new
// file plus one line here; a released migration is never edited, only
// followed by another. Versions 2 and 3 were the listener's inbox, which now
// migrates itself (server/store/migrations/): databases that ran them keep
// their record, and new ones skip the numbers.
import type {Migration} from '../types.js';
import {accounts} from './001-accounts.js';
import {accountSegment} from './004-account-segment.js';

export const migrations: Migration[] = [
	accounts,
	accountSegment,
];
