// Audit-trail helpers shared by the store and command suites: a decision to
// append, and changing the table the way someone holding the database's own
// credentials could (past the triggers), to check verify finds it.
import type {AuditDecision} from '../../server/store/audit.js';
import type {SqlStore, SqlValue} from '../../source/sql/types.js';

export const decision = (eventId: string, overrides: Partial<AuditDecision> = {}): AuditDecision => ({
	eventId,
	source: 'webhook',
	requesterEmail: 'alice@globomantics.com',
	requesterId: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hbGljZQ',
	roomId: 'Y2lzY29zcGFyazovL3VzL1JPT00vb3Bz',
	roomType: 'group',
	accounts: [{id: 'ACCT100', outcome: 'shown'}],
	reply: 'balances',
	deliveredTo: 'dm',
	...overrides,
});

export async function tamper(store: SqlStore, statements: Array<[string, SqlValue[]?]>): Promise<void> {
	await store.transaction(async tx => {
		if (tx.dialect === 'sqlite') {
			await tx.run('DROP TRIGGER IF EXISTS audit_entries_no_update');
			await tx.run('DROP TRIGGER IF EXISTS audit_entries_no_delete');
		} else {
			await tx.run('ALTER TABLE audit_entries DISABLE TRIGGER USER');
		}
		for (const [text, parameters] of statements) await tx.run(text, parameters);
		if (tx.dialect === 'postgres') await tx.run('ALTER TABLE audit_entries ENABLE TRIGGER USER');
	});
}
