// Every migration, oldest first. A new one is a new file plus one line here;
// a released migration is never edited, only followed by another.
import type {Migration} from '../types.js';
import {accounts} from './001-accounts.js';
import {inbox} from './002-inbox.js';
import {inboxReadyIndex} from './003-inbox-ready-index.js';

export const migrations: Migration[] = [
	accounts,
	inbox,
	inboxReadyIndex,
];
