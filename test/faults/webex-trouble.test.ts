// Webex trouble: the sandbox answers 429 (Retry-After: 1) to 20% of REST calls
// and 503 to 5% (people/me at start included). Every question still gets its
// reply, exactly once.
import test from 'ava';
import {acceptedQuestions, askMany, describeTally, freePort, registerWebhook, startFaultWorld, startServe, tally, waitForReplies, webexErrorsByStatus} from './helpers.js';

const mentions = Number(process.env['FAULTS_TROUBLE_MENTIONS'] ?? 300);

test(`429 to 20% and 503 to 5% of Webex calls: each of ${mentions} questions answered exactly once`, async t => {
	t.timeout(240_000);
	const world = await startFaultWorld(t);
	const makeTrouble = () => {
		world.sandbox.faults.add({status: 429, retryAfter: 1, probability: 0.2});
		// The first rule that fires wins: 0.05 / (1 - 0.2) of the rest makes 5% overall.
		world.sandbox.faults.add({status: 503, probability: 0.05 / 0.8});
	};
	makeTrouble();
	const listener = await startServe(t, world, await freePort());
	// The test's own set-up call is not under test.
	world.sandbox.faults.clear();
	await registerWebhook(world, listener.webhookUrl);
	makeTrouble();

	const asked = await askMany(world, mentions, 50);
	await waitForReplies(world, asked, 180_000, 3000);
	const counts = tally(world, asked, acceptedQuestions(world.sandbox.deliveries()));
	const errors = await webexErrorsByStatus(listener.url);
	const line = describeTally('webex trouble', counts, `; the listener met ${errors.get('429') ?? 0} × 429 and ${errors.get('503') ?? 0} × 503`);
	t.log(line);
	console.log(line);
	t.true(listener.alive(), listener.stderr());
	t.true((errors.get('429') ?? 0) > 0 && (errors.get('503') ?? 0) > 0, 'the trouble happened');
	t.is(counts.accepted, mentions, 'the listener answered every delivery 2xx (Webex trouble must not reach the webhook answer)');
	t.is(counts.lost, 0, 'questions without a reply');
	t.is(counts.duplicated, 0, 'questions answered more than once');
});
