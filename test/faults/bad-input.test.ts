// Bad input at the webhook of a real `serve` process: a corpus of hostile and
// odd requests, fast-check properties, and 10,000 bad requests in a row. The
// answer is always a 4xx or a clean outcome (2xx for a well-formed delivery),
// never a 5xx, a crash or an unhandled rejection, and memory does not grow.
import {createHmac, randomBytes} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import fc from 'fast-check';
import type {SandboxMessage} from '../../source/sandbox/index.js';
import {freePort, repliesPerQuestion, residentBytes, secret, startFaultWorld, startServe, waitFor, type FaultWorld, type ServeProcess} from './helpers.js';
import {maxBodyBytes} from '../../server/sources/webhook/body.js';

const propertyRuns = Number(process.env['FAULTS_PROPERTY_RUNS'] ?? 300);
const badRequests = Number(process.env['FAULTS_BAD_REQUESTS'] ?? 10_000);

const sign = (body: Buffer) => createHmac('sha1', secret).update(body).digest('hex');

interface BadRequest {
	name: string;
	body: Buffer;
	contentType?: string;
	/** Default: signed correctly. */
	signature?: string | 'none';
}

interface Answer {
	status: number;
	/** The request failed without an HTTP answer. */
	error?: string;
}

async function post(listener: ServeProcess, request: BadRequest): Promise<Answer> {
	const headers: Record<string, string> = {};
	if (request.contentType !== undefined) headers['content-type'] = request.contentType;
	const signature = request.signature ?? sign(request.body);
	if (signature !== 'none') headers['x-spark-signature'] = signature;
	try {
		const response = await fetch(listener.webhookUrl, {method: 'POST', headers, body: request.body, signal: AbortSignal.timeout(15_000)});
		await response.arrayBuffer();
		return {status: response.status};
	} catch (error) {
		return {status: 0, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error)};
	}
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** A well-formed messages/created envelope for `data` (fields as given, any types). */
const envelopeWith = (data: unknown, extra: Record<string, unknown> = {}) =>
	json({id: 'WEBHOOK', name: 'globobot', resource: 'messages', event: 'created', actorId: 'PERSON', data, ...extra});

const rtl = '\u202Eמה היתרה של\u202C عربي \u200F';

function corpus(world: FaultWorld): BadRequest[] {
	const valid = {id: 'MESSAGE-GONE', roomId: world.room.id, personId: world.alice.person.id, personEmail: 'alice@globomantics.com', roomType: 'group'};
	const nestedArrays = Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
	// Built as text: JSON.stringify itself cannot go this deep.
	const nestedData = Buffer.from(`{"resource":"messages","event":"created","data":{"id":"MESSAGE-NESTED","roomId":"R","personId":"P","extra":${'{"a":'.repeat(5000)}{}${'}'.repeat(5000)}}}`);
	return [
		{name: 'empty body', body: Buffer.alloc(0)},
		{name: 'empty body, unsigned', body: Buffer.alloc(0), signature: 'none'},
		{name: 'random bytes', body: randomBytes(1024)},
		{name: 'random bytes, unsigned', body: randomBytes(1024), signature: 'none'},
		{name: '64 KB of random bytes', body: randomBytes(64 * 1024)},
		{name: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22, 0x7d])},
		{name: 'JSON null', body: json(null)},
		{name: 'JSON array', body: json([1, 2, 3])},
		{name: 'JSON string', body: json('messages')},
		{name: 'JSON number', body: Buffer.from('1e999')},
		{name: 'wrong types everywhere', body: json({resource: 1, event: [], data: 'x'})},
		{name: 'wrong types in data', body: envelopeWith({id: 123, roomId: null, personId: {}})},
		{name: 'data is an array', body: envelopeWith([valid])},
		{name: 'ids are empty or blank', body: envelopeWith({...valid, id: '   ', roomId: ''})},
		{name: 'prototype pollution attempt', body: Buffer.from(`{"resource":"messages","event":"created","__proto__":{"polluted":true},"data":{"__proto__":{"id":"x"},"constructor":{"prototype":{"bad":1}}}}`)},
		{name: '100,000-deep nested arrays', body: nestedArrays},
		{name: '5,000-deep nested objects in data', body: nestedData},
		{name: '900 KB envelope', body: envelopeWith({...valid, id: 'MESSAGE-HUGE', padding: 'x'.repeat(900 * 1024)})},
		{name: '2 MB body', body: Buffer.alloc(2 * 1024 * 1024, 'a')},
		{name: '2 MB body, unsigned', body: Buffer.alloc(2 * 1024 * 1024, 'a'), signature: 'none'},
		{name: 'unicode and RTL ids', body: envelopeWith({...valid, id: `MSG-${rtl}-😀-\u0000`, personEmail: `${rtl}@example.com`})},
		{name: 'lone surrogates', body: Buffer.from('{"resource":"messages","event":"created","data":{"id":"\\ud800","roomId":"\\udfff","personId":"x"}}')},
		{name: 'other resource', body: json({resource: 'rooms', event: 'created', data: {id: 'ROOM'}})},
		{name: 'content type text/plain', body: envelopeWith({...valid, id: 'MESSAGE-PLAIN'}), contentType: 'text/plain'},
		{name: 'content type form', body: Buffer.from('resource=messages&event=created'), contentType: 'application/x-www-form-urlencoded'},
		{name: 'content type multipart', body: Buffer.from('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n'), contentType: 'multipart/form-data; boundary=b'},
		{name: 'content type xml', body: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'), contentType: 'application/xml'},
		{name: 'no content type', body: envelopeWith({...valid, id: 'MESSAGE-NO-TYPE'}), contentType: undefined},
		{name: 'signature in upper case', body: envelopeWith(valid), signature: sign(envelopeWith(valid)).toUpperCase()},
		{name: 'signature too short', body: envelopeWith(valid), signature: 'abc'},
		{name: 'signature not hex', body: envelopeWith(valid), signature: 'z'.repeat(40)},
		{name: 'signature of other bytes', body: envelopeWith(valid), signature: sign(Buffer.from('other'))},
		{name: 'signature is sha256', body: envelopeWith(valid), signature: createHmac('sha256', secret).update(envelopeWith(valid)).digest('hex')},
	];
}

async function startBadInputWorld(t: Parameters<typeof startFaultWorld>[0]) {
	const world = await startFaultWorld(t);
	const listener = await startServe(t, world, await freePort(), {GLOBOBOT_ALLOW: '*'});
	return {world, listener};
}

const isCleanOrClientError = (answer: Answer) => answer.status >= 200 && answer.status < 500;

/** Nothing the listener printed suggests a crash or an unhandled rejection. */
const crashSigns = /unhandled|uncaught|TypeError|RangeError|ReferenceError|FATAL|heap out of memory/i;

test('a corpus of bad requests: each answered 4xx (or 2xx when well formed), the listener stays up', async t => {
	t.timeout(120_000);
	const {world, listener} = await startBadInputWorld(t);
	for (const request of corpus(world)) {
		const answer = await post(listener, request);
		// Over the 64 KiB limit the listener answers 413 and closes the connection; a
		// sender still uploading may see the reset before it reads the 413.
		const tooLarge = request.body.length > maxBodyBytes;
		t.true(isCleanOrClientError(answer) || (tooLarge && answer.status === 0), `${request.name}: ${answer.status} ${answer.error ?? ''}`);
		if (tooLarge) t.true(answer.status === 413 || answer.status === 0, `${request.name}: ${answer.status}`);
		// Unsigned is refused; one too large may be refused for that first.
		if (request.signature === 'none' && !tooLarge) t.is(answer.status, 401, `${request.name} is refused as unsigned`);
	}
	t.is((await post(listener, corpus(world).find(request => request.name === 'random bytes')!)).status, 400);
	t.true(listener.alive(), listener.stderr());
	t.notRegex(listener.stderr(), crashSigns);
});

test('questions of 7,439 bytes with unicode and right-to-left text get their one clean reply', async t => {
	t.timeout(120_000);
	const {world, listener} = await startBadInputWorld(t);
	const filler = `${rtl} 😀 é ü 中文 `;
	const long = (prefix: string) => {
		let text = prefix;
		while (Buffer.byteLength(text + filler) <= 7439 - 40) text += filler;
		return text;
	};
	const questions = [
		long(`<@personId:${world.bot.person.id}|globobot> acct100 `),
		long(`<@personId:${world.bot.person.id}|globobot> `),
		`<@personId:${world.bot.person.id}|globobot> ${rtl} ACCT100 ${rtl}`,
		`<@personId:${world.bot.person.id}|globobot> \u0000\u0007\u001B[31m acct100 <script>alert(1)</script> &amp;&#x0; &#99999999;`,
	];
	const asked: SandboxMessage[] = [];
	for (const markdown of questions) {
		const message = await world.sandbox.sendMessage(world.alice.token, {roomId: world.room.id, markdown});
		asked.push(message);
		const body = envelopeWith({id: message.id, roomId: message.roomId, roomType: 'group', personId: message.personId, personEmail: message.personEmail});
		t.is((await post(listener, {name: 'long unicode question', body, contentType: 'application/json'})).status, 200);
	}
	await waitFor('a reply to each long question', () => repliesPerQuestion(world), replies => asked.every(question => replies.has(question.id)), 30_000);
	await sleep(500);
	const replies = repliesPerQuestion(world);
	t.deepEqual(
		asked.map(question => replies.get(question.id)),
		asked.map(() => 1),
	);
	t.true(listener.alive(), listener.stderr());
});

test('properties: any bytes, any JSON, any envelope-shaped value: 4xx or a clean 2xx, never a 5xx', async t => {
	t.timeout(180_000);
	const {world, listener} = await startBadInputWorld(t);
	const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), {maxLength: 3}), fc.dictionary(fc.string(), fc.string(), {maxKeys: 3}));
	const envelopeShaped = fc.record(
		{
			resource: fc.oneof(fc.constant('messages'), anyValue),
			event: fc.oneof(fc.constant('created'), anyValue),
			data: fc.oneof(
				fc.record({id: fc.oneof(fc.string(), anyValue), roomId: fc.oneof(fc.constant(world.room.id), anyValue), personId: anyValue, roomType: anyValue, personEmail: anyValue, parentId: anyValue}, {requiredKeys: []}),
				anyValue,
			),
			actorId: anyValue,
		},
		{requiredKeys: []},
	);
	const requests = fc.oneof(
		fc.uint8Array({maxLength: 4096}).map(bytes => ({name: 'bytes', body: Buffer.from(bytes)})),
		fc.uint8Array({maxLength: 512}).map(bytes => ({name: 'bytes, unsigned', body: Buffer.from(bytes), signature: 'none'})),
		fc.jsonValue().map(value => ({name: 'json', body: json(value)})),
		envelopeShaped.map(value => ({name: 'envelope-shaped', body: json(value)})),
		fc.string({unit: 'binary', maxLength: 2000}).map(text => ({name: 'unicode text', body: Buffer.from(text), contentType: 'text/plain; charset=utf-8'})),
	) as fc.Arbitrary<BadRequest>;
	await fc.assert(
		fc.asyncProperty(requests, async request => {
			const answer = await post(listener, request);
			if (!isCleanOrClientError(answer)) return false;
			return request.signature !== 'none' || answer.status === 401;
		}),
		{numRuns: propertyRuns},
	);
	t.true(listener.alive(), listener.stderr());
	t.notRegex(listener.stderr(), crashSigns);
});

test(`memory does not grow across ${badRequests} bad requests`, async t => {
	t.timeout(240_000);
	const {world, listener} = await startBadInputWorld(t);
	const small = corpus(world).filter(request => request.body.length <= 64 * 1024);
	const sendMany = async (count: number) => {
		let failures = 0;
		let next = 0;
		// 16 at a time, on keep-alive connections.
		await Promise.all(
			Array.from({length: 16}, async () => {
				while (next < count) {
					const request = small[next++ % small.length]!;
					if (!isCleanOrClientError(await post(listener, request))) failures++;
				}
			}),
		);
		return failures;
	};
	// Warm up first, so the baseline includes JIT code, pools and caches.
	t.is(await sendMany(5000), 0);
	await sleep(1000);
	const before = await residentBytes(listener.child.pid!);
	t.is(await sendMany(badRequests), 0);
	await sleep(1000);
	const after = await residentBytes(listener.child.pid!);
	const growthMb = (after - before) / 2 ** 20;
	const line = `bad input: ${badRequests} bad requests, RSS ${(before / 2 ** 20).toFixed(1)} MB → ${(after / 2 ** 20).toFixed(1)} MB (${growthMb >= 0 ? '+' : ''}${growthMb.toFixed(1)} MB)`;
	t.log(line);
	console.log(line);
	// Generous: garbage not yet collected and allocator slack, but not 10,000 retained requests.
	t.true(growthMb < 64, line);
	t.true(listener.alive(), listener.stderr());
	t.notRegex(listener.stderr(), crashSigns);
});
