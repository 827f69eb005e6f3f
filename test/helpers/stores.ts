// A fresh SQL store per test on each backend (see databases.ts), closed at teardown.
import type {ExecutionContext} from 'ava';
import {openSqlStore} from '../../server/store/open.js';
import {createInbox, type Inbox} from '../../server/store/inbox.js';
import {listenerMigrations} from '../../server/store/migrations/index.js';
import {migrateStore} from '../../source/sql/migrate.js';
import type {SqlStore} from '../../source/sql/types.js';
import type {Backend} from './databases.js';

export async function openTestStore(t: Pick<ExecutionContext, 'teardown'>, backend: Backend): Promise<SqlStore> {
	const store = await openSqlStore(await backend.url(t));
	t.teardown(async () => store.close());
	return store;
}

/** The listener's inbox on `store`, its tables migrated. */
export async function inboxOn(store: SqlStore): Promise<Inbox> {
	await migrateStore(store, listenerMigrations);
	return createInbox(store);
}
