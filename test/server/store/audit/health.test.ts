// doctor's "audit chain" check (server/store/audit/health.ts), on both backends.
import test from 'ava';
import {appendAuditEntry, auditCheck, migrateAudit} from '../../../../server/store/audit.js';
import {decision, tamper} from '../../../helpers/audit.js';
import {backends} from '../../../helpers/databases.js';
import {openTestStore} from '../../../helpers/stores.js';

for (const backend of backends) {
	test(`${backend.name}: no trail yet, a trail that verifies, and one that does not`, async t => {
		const store = await openTestStore(t, backend);
		t.deepEqual(await auditCheck(store), {name: 'audit chain', ok: true, detail: 'no audit trail yet (the listener creates it)'});
		await migrateAudit(store);
		await store.transaction(async tx => appendAuditEntry(tx, decision('m1')));
		await store.transaction(async tx => appendAuditEntry(tx, decision('m2')));
		t.like(await auditCheck(store), {ok: true});
		t.regex((await auditCheck(store)).detail, /^verifies: 2 entries, head entry 2 [0-9a-f]{12}…$/);
		await tamper(store, [['DELETE FROM audit_entries WHERE seq = 1']]);
		t.like(await auditCheck(store), {ok: false, detail: 'broken at entry 1: removed (entry 1 is missing)'});
	});
}
