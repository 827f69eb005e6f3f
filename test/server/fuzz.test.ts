// Property tests, small enough for every CI run (the long versions, against a
// real `serve` process, are in test/faults/bad-input.test.ts): the account-id
// parser on any text, and the webhook endpoint on any bytes, JSON or
// envelope-shaped value. FUZZ_RUNS raises the number of runs.
import {createHmac} from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import {findAccountIds, maxAccountIds} from '../../server/accountIds.js';
import {sqliteBackend} from '../helpers/databases.js';
import {secret, startTestListener, startWorld, urlOf} from './harness.js';

const numRuns = Number(process.env['FUZZ_RUNS'] ?? 100);
const bot = {id: 'BOT-ID', displayName: 'globobot'};

const unhandled: unknown[] = [];
process.on('unhandledRejection', reason => unhandled.push(reason));

const mentionOfBot = `<spark-mention data-object-type="person" data-object-id="${bot.id}">globobot</spark-mention>`;
const markupBits = fc.constantFrom(mentionOfBot, '<spark-mention data-object-id="OTHER">x</spark-mention>', '<p>', '</p>', '<spark-mention', '&amp;', '&#x41;', '&#99999999;', '\u202E', '\u200F', 'ACCT', 'acct1', '😀');
const anyText = fc.oneof(fc.string({unit: 'binary', maxLength: 300}), fc.array(fc.oneof(markupBits, fc.string({maxLength: 8})), {maxLength: 40}).map(parts => parts.join(' ')));

test('findAccountIds: on any text or html, at most ten distinct upper-case ids, never a throw', t => {
	fc.assert(
		fc.property(fc.option(anyText, {nil: undefined}), fc.option(anyText, {nil: undefined}), (text, html) => {
			const ids = findAccountIds({text, html}, bot);
			return ids.length <= maxAccountIds && new Set(ids).size === ids.length && ids.every(id => /^ACCT\d+$/.test(id));
		}),
		{numRuns: numRuns * 5},
	);
	t.pass();
});

const filler = fc.array(fc.constantFrom('hi,', 'what', 'is', 'the', 'balance', 'for', '¿', 'מה', 'היתרה', 'عربي', '😀', '—', 'please'), {maxLength: 8}).map(words => words.join(' '));
const punctuation = fc.constantFrom('', '?', '!', '.', ',', '(', ')', '"', '¿', '…', ':');

test('findAccountIds: an id asked for as a word, with any punctuation and any case, is found', t => {
	fc.assert(
		fc.property(filler, punctuation, fc.nat({max: 10 ** 9}), fc.constantFrom('acct', 'ACCT', 'Acct'), punctuation, filler, (before, open, number, prefix, close, after) => {
			const text = `globobot ${before} ${open}${prefix}${number}${close} ${after}`;
			return findAccountIds({text}, bot).includes(`ACCT${number}`);
		}),
		{numRuns},
	);
	t.pass();
});

test('the webhook: any bytes, JSON or envelope-shaped value gets a 4xx or a clean 2xx, never a 5xx or an unhandled rejection', async t => {
	const world = await startWorld(t, sqliteBackend);
	const listener = await startTestListener(t, world);
	const webhookUrl = `${urlOf(listener)}/wtwebhook`;
	const post = async (body: Buffer, signed: boolean) => {
		const headers: Record<string, string> = {'content-type': 'application/json'};
		if (signed) headers['x-spark-signature'] = createHmac('sha1', secret).update(body).digest('hex');
		const response = await fetch(webhookUrl, {method: 'POST', headers, body});
		await response.arrayBuffer();
		return response.status;
	};
	const anyValue = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), {maxLength: 2}), fc.dictionary(fc.string(), fc.string(), {maxKeys: 2}));
	const envelopeShaped = fc.record(
		{
			resource: fc.oneof(fc.constant('messages'), anyValue),
			event: fc.oneof(fc.constant('created'), anyValue),
			data: fc.oneof(fc.record({id: anyValue, roomId: anyValue, personId: anyValue, roomType: anyValue, personEmail: anyValue, parentId: anyValue}, {requiredKeys: []}), anyValue),
		},
		{requiredKeys: []},
	);
	const bodies = fc.oneof(
		fc.uint8Array({maxLength: 2048}).map(bytes => Buffer.from(bytes)),
		fc.jsonValue().map(value => Buffer.from(JSON.stringify(value))),
		envelopeShaped.map(value => Buffer.from(JSON.stringify(value))),
	);
	await fc.assert(
		fc.asyncProperty(bodies, fc.boolean(), async (body, signed) => {
			const status = await post(body, signed);
			return signed ? status >= 200 && status < 500 : status === 401;
		}),
		{numRuns},
	);
	t.deepEqual(unhandled, []);
	t.is((await fetch(`${urlOf(listener)}/healthz`)).status, 200);
});
