// Replicas: two `serve` processes on one PostgreSQL database, each behind its
// own webhook, so every question is delivered to both. The shared inbox must
// make each question answered exactly once, whichever replica records or
// claims it first.
import test from 'ava';
import {postgresAvailable, postgresUrl} from '../helpers/databases.js';
import {acceptedQuestions, askMany, describeTally, freePort, registerWebhook, startFaultWorld, startServe, tally, waitForReplies} from './helpers.js';

const mentions = Number(process.env['FAULTS_REPLICA_MENTIONS'] ?? 300);
const replicaTest = postgresAvailable ? test : test.skip;

replicaTest(`two replicas on one PostgreSQL database, ${mentions} questions each delivered to both: exactly one reply each`, async t => {
	t.timeout(240_000);
	const world = await startFaultWorld(t, {databaseUrl: await postgresUrl(t)});
	// Both start at once, as a deployment would start them.
	// In GLOBOBOT_GROUP_REPLY=room a thread cannot be listed, so a POST that timed out is sent again (the README's one
	// not-exactly-once case). On this loaded machine the in-process sandbox can take over 5 s to answer a POST; the
	// test is about two replicas never both answering, so it gives each POST time enough to be unambiguous.
	const patient = {GLOBOBOT_SEND_TIMEOUT: '20s'};
	const [first, second] = await Promise.all([startServe(t, world, await freePort(), patient), startServe(t, world, await freePort(), patient)]);
	await registerWebhook(world, first.webhookUrl);
	await registerWebhook(world, second.webhookUrl);

	const asked = await askMany(world, mentions, 50);
	await waitForReplies(world, asked, 120_000, 3000);
	const deliveries = world.sandbox.deliveries();
	const counts = tally(world, asked, acceptedQuestions(deliveries));
	const bothAccepted = asked.filter(question => deliveries.filter(record => record.messageId === question.id && record.ok).length === 2).length;
	const line = describeTally('replicas', counts, `; ${bothAccepted} accepted by both`);
	t.log(line);
	console.log(line);
	t.true(first.alive(), first.stderr());
	t.true(second.alive(), second.stderr());
	t.is(bothAccepted, mentions, 'each question reached both replicas');
	t.is(counts.lost, 0, 'questions without a reply');
	t.is(counts.duplicated, 0, 'questions answered more than once');
});
