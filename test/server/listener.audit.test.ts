// The audit trail as a running listener writes it: one decision entry per
// question, and the ids of the replies Webex accepted, chained.
import test from 'ava';
import {openSqlStore} from '../../server/store/open.js';
import {listAudit, verifyAudit} from '../../server/store/audit.js';
import {backends} from '../helpers/databases.js';
import {ask, botMessages, registerWebhook, startTestListener, startWorld, targetOf, waitFor, waitForBotMessages} from './harness.js';

for (const backend of backends) {
	test(`${backend.name}: a group-room question answered privately is audited as dm, with both reply ids`, async t => {
		const world = await startWorld(t, backend);
		const listener = await startTestListener(t, world, {GLOBOBOT_GROUP_REPLY: 'dm'});
		await registerWebhook(world, targetOf(listener));
		await ask(world, 'alice', world.opsRoom.id, 'what is the balance for acct100 and acct999?');
		await waitForBotMessages(world, 2);
		const store = await openSqlStore(world.databaseUrl);
		t.teardown(async () => store.close());
		const entries = await waitFor('the reply ids', () => listAudit(store, {}), rows => rows.length === 1 && rows[0]!.replyIds.length === 2);
		const [decision] = entries;
		t.like(decision, {requesterEmail: 'alice@globomantics.com', roomType: 'group', reply: 'balances', deliveredTo: 'dm', source: 'webhook'});
		t.deepEqual(decision?.accounts, [{id: 'ACCT100', outcome: 'shown'}, {id: 'ACCT999', outcome: 'unknown'}]);
		t.deepEqual([...(decision?.replyIds ?? [])].sort(), botMessages(world).map(message => message.id).sort());
		t.false(JSON.stringify(entries).includes('40.00'), 'no figure in the trail');
		t.true((await verifyAudit(store)).ok);
	});
}
