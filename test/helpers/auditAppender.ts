// A separate process appending audit decisions: `tsx auditAppender.ts URL PREFIX COUNT GATE`.
// Two of these on one database are two replicas sharing one chain. Each writes
// GATE.PREFIX when its store is open, then waits for GATE to exist, so that
// both start appending at the same moment.
import {existsSync, writeFileSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {appendAuditEntry, migrateAudit} from '../../server/store/audit.js';
import {openSqlStore} from '../../server/store/open.js';

const [url, prefix, count, gate] = process.argv.slice(2);
const store = await openSqlStore(url!);
try {
	await migrateAudit(store);
	writeFileSync(`${gate}.${prefix}`, '');
	while (!existsSync(gate!)) await sleep(5);
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
		// A listener does other work between decisions; without a pause, SQLite (whose waiting writers
		// retry on a back-off) would let one process take every turn, which is correct but tests less.
		await sleep(3);
	}
} finally {
	await store.close();
}
