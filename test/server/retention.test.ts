// Retention on a real inbox: pruning at start, and never less than a day
// whatever is configured, so a redelivery stays a duplicate.
import test from 'ava';
import {migrateStore} from '../../source/sql/migrate.js';
import {silentLogger} from '../../server/logger.js';
import {startRetention} from '../../server/retention.js';
import {createInbox} from '../../server/store/inbox.js';
import {listenerMigrations} from '../../server/store/migrations/index.js';
import {sqliteBackend} from '../helpers/databases.js';
import {waitFor} from '../helpers/poll.js';
import {openTestStore} from '../helpers/stores.js';

test('prunes at start what is past retention; a configured retention under a day counts as a day', async t => {
	const store = await openTestStore(t, sqliteBackend);
	await migrateStore(store, listenerMigrations);
	let now = Date.now();
	const inbox = createInbox(store, () => now);
	for (const id of ['OLD', 'NEW']) {
		await inbox.record({messageId: id, roomId: 'R1', personId: 'P1'});
		await inbox.claim('A', 60_000);
		await inbox.complete(id, 'A', 'replied');
		now += 2 * 86_400_000 - 60_000;
	}
	// Two days on: OLD finished two days ago, NEW a minute ago.
	now = Date.now() + 2 * 86_400_000;
	const retention = startRetention({inbox, retentionMs: 1, logger: silentLogger()});
	t.teardown(() => retention.stop());
	await waitFor('OLD to be pruned', () => inbox.get('OLD'), event => event === undefined, 2000);
	t.like(await inbox.get('NEW'), {state: 'done'}, 'finished less than a day ago: kept, despite a 1 ms setting');
});
