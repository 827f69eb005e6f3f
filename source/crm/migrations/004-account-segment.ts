import type {Migration} from '../types.js';

// An optional customer segment per account, for policies that decide on it.
// Version 4, not 2: databases created before the listener's tables moved to
// server/store/ have already recorded versions 2 and 3.
const statement = 'ALTER TABLE accounts ADD COLUMN segment TEXT;';

export const accountSegment: Migration = {
	version: 4,
	name: 'accounts: optional segment',
	sqlite: statement,
	postgres: statement,
};
