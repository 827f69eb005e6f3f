// GLOBOBOT_AUDIT_RETENTION applied on a schedule (server/store/audit/retention.ts), on both backends.
import test from 'ava';
import {appendAuditEntry, AuditError, listAudit, migrateAudit, type PruneResult, startAuditRetention, verifyAudit} from '../../../../server/store/audit.js';
import {decision, tamper} from '../../../helpers/audit.js';
import {backends} from '../../../helpers/databases.js';
import {waitFor} from '../../../helpers/poll.js';
import {openTestStore} from '../../../helpers/stores.js';

const day = 86_400_000;

for (const backend of backends) {
	test(`${backend.name}: the scheduled pass prunes past the retention and leaves a chain that verifies`, async t => {
		const store = await openTestStore(t, backend);
		await migrateAudit(store);
		const now = new Date('2026-12-01T00:00:00Z');
		for (const [index, age] of [500, 450, 10].entries()) {
			await store.transaction(async tx => appendAuditEntry(tx, decision(`m${index}`), {at: new Date(now.getTime() - age * day)}));
		}
		const results: PruneResult[] = [];
		const retention = startAuditRetention(store, 400 * day, {firstRunMs: 0, intervalMs: 60_000, now: () => now, onPruned: result => results.push(result)});
		t.teardown(() => retention.stop());
		await waitFor('the first pass', () => results.length, count => count > 0);
		t.is(results[0]!.removed, 2);
		t.deepEqual((await listAudit(store)).map(entry => entry.eventId), ['m2']);
		t.like(await verifyAudit(store), {ok: true, entries: 2});
	});

	test(`${backend.name}: a chain that no longer verifies is reported, never pruned`, async t => {
		const store = await openTestStore(t, backend);
		await migrateAudit(store);
		for (const index of [1, 2, 3]) await store.transaction(async tx => appendAuditEntry(tx, decision(`m${index}`), {at: new Date('2020-01-01T00:00:00Z')}));
		await tamper(store, [["UPDATE audit_entries SET reply = 'help' WHERE seq = 2"]]);
		const errors: unknown[] = [];
		const retention = startAuditRetention(store, day, {firstRunMs: 0, intervalMs: 60_000, onError: error => errors.push(error)});
		t.teardown(() => retention.stop());
		await waitFor('the first pass', () => errors.length, count => count > 0);
		t.true(errors[0] instanceof AuditError);
		t.regex((errors[0] as Error).message, /^audit chain broken at entry 2: altered; not pruning/);
		t.is((await listAudit(store)).length, 3);
	});
}
