// pruneAudit (server/store/audit/prune.ts) when it removes every entry, on both backends: the
// checkpoint must continue the chain it ends, or verify, later appends and later prunes break.
import test from 'ava';
import {appendAuditEntry, exportAudit, listAudit, migrateAudit, pruneAudit, verifyAudit, verifyEntries} from '../../../../server/store/audit.js';
import {decision} from '../../../helpers/audit.js';
import {backends} from '../../../helpers/databases.js';
import {openTestStore} from '../../../helpers/stores.js';

for (const backend of backends) {
	test(`${backend.name}: pruning everything leaves a checkpoint after the last entry; appends and a second prune go on from it`, async t => {
		const store = await openTestStore(t, backend);
		await migrateAudit(store);
		for (const index of [1, 2, 3]) await store.transaction(async tx => appendAuditEntry(tx, decision(`m${index}`), {at: new Date(Date.UTC(2026, 0, 1, 0, index))}));
		const head = await verifyAudit(store);
		if (!head.ok) return t.fail();
		const now = new Date('2026-06-01T00:00:00Z');

		const first = await pruneAudit(store, now, {now});
		t.is(first.removed, 3);
		t.like(first.checkpoint, {seq: 4, throughSeq: 3, throughHash: head.head.hash, prevHash: head.head.hash});
		t.like(await verifyAudit(store), {ok: true, entries: 1, head: {seq: 4}});

		const later = await store.transaction(async tx => appendAuditEntry(tx, decision('m4'), {at: now}));
		t.is(later.seq, 5, 'no seq is used twice');
		t.deepEqual((await listAudit(store)).map(entry => entry.seq), [5]);
		t.like(await verifyAudit(store), {ok: true, entries: 2, head: {seq: 5}});
		const exported = [];
		for await (const entry of exportAudit(store)) exported.push({entry});
		t.like(await verifyEntries(exported, 'whole'), {ok: true, entries: 2, head: {seq: 5}}, 'an export of what is left vouches for its own start');

		const second = await pruneAudit(store, new Date(now.getTime() + 1), {now: new Date(now.getTime() + 1)});
		t.like(second, {removed: 2, checkpoint: {seq: 6, throughSeq: 5}});
		t.like(await verifyAudit(store), {ok: true, entries: 1, head: {seq: 6}});
	});
}
