// Webex's clock from the Date header of its answers.
import test from 'ava';
import {startSandbox} from '../../../../source/sandbox/index.js';
import {createWebexClient} from '../../../../source/webex/client.js';
import {createWebexClock} from '../../../../server/sources/catchUp/webexClock.js';

test('ours until Webex answers, then Webex\'s Date plus the time since', t => {
	let local = 1_000_000;
	const clock = createWebexClock(() => local);
	t.false(clock.synced);
	t.is(clock.now(), 1_000_000);
	// Webex is 10 minutes ahead of us.
	clock.observer.onResponse!({method: 'GET', path: '/rooms', status: 200, durationMs: 5, date: new Date(1_000_000 + 600_000).toUTCString()});
	t.true(clock.synced);
	local += 2500;
	t.is(clock.now(), 1_000_000 + 600_000 + 2500);
	// An answer without a usable Date (a network error) changes nothing.
	clock.observer.onResponse!({method: 'GET', path: '/rooms', status: 0, durationMs: 5});
	clock.observer.onResponse!({method: 'GET', path: '/rooms', status: 200, durationMs: 5, date: 'soon'});
	t.is(clock.now(), 1_000_000 + 600_000 + 2500);
});

test('a real answer carries Date: the clock agrees with the sandbox to within its one-second resolution', async t => {
	const sandbox = await startSandbox();
	t.teardown(async () => sandbox.close());
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const clock = createWebexClock();
	await createWebexClient({baseUrl: sandbox.url, token: bot.token, observer: clock.observer}).people.me();
	t.true(clock.synced);
	const lag = Date.now() - clock.now();
	t.true(lag >= 0 && lag < 1500, `${lag} ms`);
});
