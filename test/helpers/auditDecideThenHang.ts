// A replier that dies between decision and reply: `tsx auditDecideThenHang.ts URL EVENT`
// commits the decision's entry, says "decided", and waits to be SIGKILLed.
import {appendAuditEntry, migrateAudit} from '../../server/store/audit.js';
import {openSqlStore} from '../../server/store/open.js';
import {decision} from './audit.js';

const [url, eventId] = process.argv.slice(2);
const store = await openSqlStore(url!);
await migrateAudit(store);
await store.transaction(async tx => appendAuditEntry(tx, decision(eventId!)));
process.stdout.write('decided\n');
setInterval(() => undefined, 60_000);
