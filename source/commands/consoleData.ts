// The TUI's view of the database (source/ui/consoleData.ts), on an open SQL
// store: events and their health from the inbox, running listeners from their
// heartbeats, and the operator's retry.
import {userInfo} from 'node:os';
import {createEventLog} from '../../server/store/eventLog.js';
import {liveInstances} from '../../server/store/instances.js';
import {listenerMigrations} from '../../server/store/migrations/index.js';
import {migrateStore} from '../sql/migrate.js';
import type {SqlStore} from '../sql/types.js';
import type {ConsoleData} from '../ui/consoleData.js';

const operator = () => {
	try {
		return `${userInfo().username || 'unknown'} (TUI)`;
	} catch {
		return 'unknown (TUI)';
	}
};

export function consoleDataOf(store: SqlStore): ConsoleData {
	const log = createEventLog(store);
	return {
		async unanswered() {
			return (await log.exists()) ? log.list({states: ['pending', 'sending', 'failed'], limit: 500}) : [];
		},
		async recent(limit) {
			return (await log.exists()) ? log.list({limit}) : [];
		},
		async health() {
			return (await log.exists()) ? log.health() : {waiting: 0, pending: 0, retrying: 0, failed24h: 0, overdue: 0};
		},
		instances: () => liveInstances(store),
		async retry(id) {
			await migrateStore(store, listenerMigrations);
			return log.retry(id, operator());
		},
	};
}
