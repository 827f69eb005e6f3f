// Crash: while 1,000 mentions are delivered, the listener is SIGKILLed at
// random moments (three times at least) and restarted each time on the same
// database and port. Every delivery it answered 2xx must get exactly one reply:
// 0 lost, 0 duplicated. Deliveries made while it is down fail, as on Webex,
// which does not retry; they are not "accepted" and not counted as lost.
//
// The questions are asked in a 1:1 room. FAULTS_CRASH_ROOM=group asks in a group
// room with GLOBOBOT_GROUP_REPLY=room (figures as a thread reply): there a bot
// may not list the thread (Webex answers 403), so a reply whose POST was cut
// short by the kill cannot be looked up and is sent again — a kill in that
// instant can duplicate it (seen: 13 of 685). The default group mode (figures by
// DM, reconciled through /messages/direct; the pointer in the thread sent at
// most once) has no such window.
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import type {SandboxMessage} from '../../source/sandbox/index.js';
import {acceptedQuestions, askMany, describeTally, freePort, registerWebhook, startFaultWorld, startServe, tally, waitForReplies, type FaultWorld, type ServeProcess} from './helpers.js';

/**
 * How late an answer may be across a kill: the dead owner is noticed 3 s after its last heartbeat, a POST it may have
 * had in flight is waited out (5 s send timeout + 2.5 s), the restart itself takes what it takes (measured below), and
 * a loaded 2-core CI host adds some seconds (13.2 s seen once, against 4.5–9.2 s on a quiet one). What this guards is
 * the design, takeover by heartbeat: waiting for the 30 s lease instead would be far past it. The figure itself is a
 * measurement, printed on the summary line, not a timing this test holds the host to.
 */
const answerBoundMs = (longestRestartMs: number) => 3000 + 7500 + longestRestartMs + 8000;

const accountIdIn = (text: string | undefined) => /\bACCT\d+\b/i.exec(text ?? '')?.[0].toUpperCase();

/** For each accepted question: from its first 2xx delivery to its first reply, on the sandbox's clock (ms). */
function answerDelays(world: FaultWorld, asked: readonly SandboxMessage[]): number[] {
	const acceptedAt = new Map<string, number>();
	for (const record of world.sandbox.deliveries()) {
		if (record.ok && !acceptedAt.has(record.messageId)) acceptedAt.set(record.messageId, Date.parse(record.at));
	}
	const firstReply = new Map<string, number>();
	for (const reply of world.sandbox.messages({personId: world.bot.person.id})) {
		const key = reply.parentId ?? accountIdIn(reply.text);
		const at = Date.parse(reply.created);
		if (key && !(firstReply.get(key)! <= at)) firstReply.set(key, at);
	}
	return asked.flatMap(question => {
		const delivered = acceptedAt.get(question.id);
		// A thread reply names its question; a direct one, the account asked for.
		const replied = firstReply.get(question.id) ?? firstReply.get(accountIdIn(question.text) ?? '');
		return delivered === undefined || replied === undefined ? [] : [replied - delivered];
	});
}

const mentions = Number(process.env['FAULTS_MENTIONS'] ?? 1000);
const kills = Math.max(1, Number(process.env['FAULTS_KILLS'] ?? 3));
// The burst lasts 20 s or more, so that several kills and restarts (a second or two each) fit in it.
const perSecond = Math.min(50, mentions / 20);
const where = process.env['FAULTS_CRASH_ROOM'] === 'group' ? 'group' : 'direct';

/** `count` distinct moments in (0.1, 0.9) of `spanMs`, sorted, at least `gapMs` apart. */
function killMoments(count: number, spanMs: number, gapMs: number): number[] {
	const slot = (spanMs * 0.8) / count;
	return Array.from({length: count}, (_, index) => spanMs * 0.1 + index * slot + Math.random() * Math.max(0, slot - gapMs));
}

test(`SIGKILL ${kills}× during ${mentions} mentions: every accepted delivery gets exactly one reply`, async t => {
	t.timeout(240_000);
	const world = await startFaultWorld(t);
	const port = await freePort();
	let listener: ServeProcess = await startServe(t, world, port);
	await registerWebhook(world, listener.webhookUrl);

	const burstMs = (mentions * 1000) / perSecond;
	let longestRestartMs = 0;
	const killer = (async () => {
		let previous = 0;
		for (const moment of killMoments(kills, burstMs, 1500)) {
			await sleep(Math.max(0, moment - previous));
			previous = moment;
			const killedAt = Date.now();
			await listener.kill();
			listener = await startServe(t, world, port);
			longestRestartMs = Math.max(longestRestartMs, Date.now() - killedAt);
		}
	})();
	const asked = await askMany(world, mentions, perSecond, where);
	await killer;
	const burstEnded = Date.now();

	// Events claimed by a killed process are taken over once its heartbeat stops (3 s), not when its lease ends (30 s).
	await waitForReplies(world, asked, 120_000);
	const delays = answerDelays(world, asked);
	const slowest = Math.max(0, ...delays);
	const settledSeconds = Math.round((Date.now() - burstEnded) / 1000);
	const counts = tally(world, asked, acceptedQuestions(world.sandbox.deliveries()));
	const line = describeTally('crash', counts, `, ${kills} SIGKILLs, ${where} room, settled ${settledSeconds} s after the burst, slowest answer ${(slowest / 1000).toFixed(1)} s after its delivery, longest restart ${(longestRestartMs / 1000).toFixed(1)} s`);
	t.log(line);
	console.log(line);
	t.true(listener.alive(), listener.stderr());
	t.true(counts.accepted > 0, 'some deliveries were accepted');
	t.true(counts.accepted < counts.asked || kills === 0, 'some deliveries met a dead listener');
	t.is(counts.lost, 0, 'accepted deliveries without a reply');
	t.is(counts.duplicated, 0, 'questions answered more than once');
	t.is(delays.length, counts.accepted, 'a delay for every accepted question');
	t.true(slowest <= answerBoundMs(longestRestartMs), `slowest answer ${slowest} ms after its delivery; the longest restart took ${longestRestartMs} ms`);
});
