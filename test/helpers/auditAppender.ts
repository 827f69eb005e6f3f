// A separate process appending audit decisions: `tsx auditAppender.ts URL PREFIX COUNT`.
// Two of these on one database are two replicas sharing one chain.
import {appendAuditEntry, migrateAudit} from '../../server/store/audit.js';
import {openSqlStore} from '../../server/store/open.js';

const [url, prefix, count] = process.argv.slice(2);
const store = await openSqlStore(url!);
try {
	await migrateAudit(store);
	for (let index = 0; index < Number(count); index += 1) {
		await store.transaction(async tx =>
			appendAuditEntry(tx, {
				eventId: `${prefix}-${index}`,
				source: 'webhook',
				requesterEmail: 'alice@globomantics.com',
				requesterId: `person-${prefix}`,
				roomId: 'room-1',
				roomType: 'direct',
				accounts: [{id: 'ACCT100', outcome: 'shown'}],
				reply: 'balances',
				deliveredTo: 'direct',
			}),
		);
	}
} finally {
	await store.close();
}
