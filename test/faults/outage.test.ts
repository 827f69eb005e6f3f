// Outage: `serve` is SIGKILLed, and 40 questions are asked in a direct and a
// group room while nobody listens. Each webhook delivery is refused once (the
// port is closed), and, as on Webex, never sent again. After the restart,
// catch-up must answer every one of them exactly once, in the right place (in
// the group room the figures privately, a pointer in the thread), within 20 s
// of the restart; what was answered before the outage is not answered again;
// a group message that does not mention the bot gets no answer.
import test from 'ava';
import type {SandboxMessage} from '../../source/sandbox/index.js';
import {freePort, registerWebhook, startFaultWorld, startServe, waitFor, type FaultWorld} from './helpers.js';

const questions = 40;
const boundMs = 20_000;

const accountIn = (text: string | undefined) => /\bACCT\d+\b/i.exec(text ?? '')?.[0].toUpperCase();

async function ask(world: FaultWorld, index: number, where: 'group' | 'direct'): Promise<SandboxMessage> {
	const question = `what is the balance for ACCT${index}?`;
	const input = where === 'group' ? {roomId: world.room.id, markdown: `<@personId:${world.bot.person.id}|globobot> ${question}`} : {roomId: world.direct.id, text: question};
	return world.sandbox.sendMessage(world.alice.token, input);
}

interface Answers {
	/** Bot messages in alice's direct room naming the account: the figures (for group questions too, sent privately). */
	figures: Map<string, SandboxMessage[]>;
	/** Bot messages in the group room, by the question they thread under. */
	inThread: Map<string, SandboxMessage[]>;
	/** Bot messages in the group room that carry figures (there must be none). */
	figuresInGroup: number;
}

function answers(world: FaultWorld): Answers {
	const figures = new Map<string, SandboxMessage[]>();
	const inThread = new Map<string, SandboxMessage[]>();
	let figuresInGroup = 0;
	for (const message of world.sandbox.messages({personId: world.bot.person.id})) {
		if (message.roomId === world.direct.id) {
			const account = accountIn(message.text);
			if (account) figures.set(account, [...(figures.get(account) ?? []), message]);
		} else if (message.roomId === world.room.id) {
			if (message.parentId) inThread.set(message.parentId, [...(inThread.get(message.parentId) ?? []), message]);
			if (/USD|balance for/i.test(message.text ?? '')) figuresInGroup++;
		}
	}
	return {figures, inThread, figuresInGroup};
}

/** Answered: the figures once, and for a group question the pointer in its thread once. */
function answeredCount(world: FaultWorld, asked: ReadonlyArray<{message: SandboxMessage; where: 'group' | 'direct'; account: string}>): number {
	const now = answers(world);
	return asked.filter(({message, where, account}) => (now.figures.get(account)?.length ?? 0) >= 1 && (where === 'direct' || (now.inThread.get(message.id)?.length ?? 0) >= 1)).length;
}

test(`outage: ${questions} questions asked while serve is down are each answered once, within ${boundMs / 1000} s of the restart`, async t => {
	t.timeout(120_000);
	const world = await startFaultWorld(t);
	const port = await freePort();
	// Figures privately in group rooms (the product's default).
	const env = {GLOBOBOT_GROUP_REPLY: 'dm'};
	let serve = await startServe(t, world, port, env);
	await registerWebhook(world, serve.webhookUrl);

	// Before the outage: answered normally, through the webhook.
	const before = [
		{message: await ask(world, 1001, 'direct'), where: 'direct' as const, account: 'ACCT1001'},
		{message: await ask(world, 1002, 'group'), where: 'group' as const, account: 'ACCT1002'},
	];
	await waitFor('the answers before the outage', () => answeredCount(world, before), count => count === before.length, 15_000);
	await serve.kill();

	// Nobody listens.
	const asked: Array<{message: SandboxMessage; where: 'group' | 'direct'; account: string}> = [];
	for (let index = 1; index <= questions; index++) {
		const where = index % 2 === 0 ? 'group' : 'direct';
		asked.push({message: await ask(world, index, where), where, account: `ACCT${index}`});
	}
	const chatter = await world.sandbox.sendMessage(world.alice.token, {roomId: world.room.id, text: 'ACCT1999 is on the agenda for tomorrow'});
	await world.sandbox.idle();
	const attempts = world.sandbox.deliveries().filter(record => asked.some(({message}) => message.id === record.messageId));
	t.is(attempts.length, questions, 'one delivery attempt per question, never repeated');
	t.true(attempts.every(record => !record.ok && record.status === 0), 'every delivery was refused');

	const restartedAt = Date.now();
	serve = await startServe(t, world, port, env);
	await waitFor('every question answered', () => answeredCount(world, asked), count => count === questions, 30_000).catch(() => undefined);
	const answeredAt = Date.now();
	// Time for a late duplicate to show.
	await new Promise(resolve => setTimeout(resolve, 2000));
	await world.sandbox.idle();

	const now = answers(world);
	let answered = 0;
	let duplicated = 0;
	let misplaced = 0;
	let slowestMs = 0;
	for (const {message, where, account} of asked) {
		const figures = now.figures.get(account) ?? [];
		const pointers = now.inThread.get(message.id) ?? [];
		const expectedPointers = where === 'group' ? 1 : 0;
		if (figures.length >= 1 && pointers.length >= expectedPointers) answered++;
		if (figures.length > 1 || pointers.length > expectedPointers) duplicated++;
		if (figures.some(reply => reply.parentId !== undefined)) misplaced++;
		for (const reply of [...figures, ...pointers]) slowestMs = Math.max(slowestMs, Date.parse(reply.created) - restartedAt);
	}
	const line = `outage: ${questions} asked while down (${questions / 2} direct, ${questions / 2} group), ${answered} answered, ${duplicated} duplicated, slowest answer ${(slowestMs / 1000).toFixed(1)} s after the restart (all answered ${((answeredAt - restartedAt) / 1000).toFixed(1)} s after it)`;
	t.log(line);
	console.log(line);

	t.true(serve.alive(), serve.stderr());
	t.is(answered, questions, 'every question asked during the outage is answered');
	t.is(duplicated, 0, 'none is answered twice');
	t.is(misplaced, 0, 'the figures go to the asker directly, not in a thread');
	t.is(now.figuresInGroup, 0, 'no figures in the group room');
	t.true(slowestMs <= boundMs, `the slowest answer came ${slowestMs} ms after the restart`);
	for (const {message, account} of before) {
		t.is(now.figures.get(account)?.length, 1, `${account}, answered before the outage, is not answered again`);
		t.true((now.inThread.get(message.id)?.length ?? 0) <= 1);
	}
	t.is(now.figures.get('ACCT1999'), undefined, 'a group message that does not mention the bot gets no answer');
	t.is(now.inThread.get(chatter.id), undefined);
});
