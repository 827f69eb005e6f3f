// `globobot-admin sandbox`: prints a URL and tokens that work, then stops cleanly.
import test from 'ava';
import {collectOutput} from '../../source/commands/output.js';
import {CommandError} from '../../source/commands/run.js';
import {run} from '../../source/commands/sandbox.js';

test('prints the URL and the demo tokens as JSON, serves them, and returns 0 when stopped', async t => {
	let stop!: () => void;
	const until = new Promise<void>(resolve => {
		stop = resolve;
	});
	let printed = '';
	let resolvePrinted!: () => void;
	const printedOnce = new Promise<void>(resolve => {
		resolvePrinted = resolve;
	});
	const finished = run({port: 0, json: true, until}, {...collectOutput(), json: value => ((printed = JSON.stringify(value)), resolvePrinted())});
	await printedOnce;
	const summary = JSON.parse(printed);
	t.regex(summary.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
	t.deepEqual(
		summary.people.map((person: {email: string; type: string}) => [person.email, person.type]),
		[
			['globobot@webex.bot', 'bot'],
			['alice@globomantics.com', 'person'],
			['bob@globomantics.com', 'person'],
		],
	);
	const response = await fetch(`${summary.url}/people/me`, {headers: {authorization: `Bearer ${summary.people[0].token}`}});
	t.is(((await response.json()) as {displayName: string}).displayName, 'globobot');
	t.true(summary.rooms.some((room: {title: string}) => room.title === 'Globomantics Ops'));
	stop();
	t.is(await finished, 0);
	await t.throwsAsync(fetch(`${summary.url}/people/me`));
});

test('the text output names the URL and each person', async t => {
	const output = collectOutput();
	const code = await run({port: '0', latency: '0', until: Promise.resolve()}, output);
	const printed = output.stdout;
	t.is(code, 0);
	t.regex(printed, /listening on http:\/\/127\.0\.0\.1:\d+\/v1/);
	t.regex(printed, /Alice Admin/);
	t.regex(printed, /globobot@webex\.bot/);
});

test('a bad port is a usage error (exit code 2)', async t => {
	const error = await t.throwsAsync(run({port: 'eighty', until: Promise.resolve()}), {instanceOf: CommandError, message: /--port/});
	t.is(error?.exitCode, 2);
});
