// The HTTP CRM source against a small real CRM server in the test: answers,
// unknown accounts, a 500 storm, a hang past the timeout, bad answers.
import {once} from 'node:events';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import test, {type ExecutionContext} from 'ava';
import {AccountSourceError} from '../../../source/crm/lookup.js';
import {openAccountSource, type AccountSource, type LookupOutcome} from '../../../source/crm/sources/index.js';
import {readCrmSettings} from '../../../source/crm/sources/settings.js';

const token = 'crm-token-do-not-print';

// The CRM's own JSON, written as text so numbers keep every digit on the wire.
const accounts: Record<string, string> = {
	ACCT100: '{"amounts": {"due": "100.00", "paid": "60.00"}, "currency": "USD", "segment": "retail"}',
	ACCT200: '{"amounts": {"due": 12345678901234.10, "paid": 0.05}, "currency": "EUR"}',
	ACCT300: '{"amounts": {"due": 5, "paid": 0}}',
	ACCT400: '{"amounts": {"owed": "1.00"}, "currency": "USD"}',
	ACCT500: '{"amounts": {"due": 1e3, "paid": 0}}',
};

type Mode = 'normal' | 'error' | 'hang';

interface Crm {
	url: string;
	mode: Mode;
	requests: Array<{path: string; authorization?: string}>;
}

async function startCrm(t: ExecutionContext): Promise<Crm> {
	const crm: Crm = {url: '', mode: 'normal', requests: []};
	const server = http.createServer((request, response) => {
		crm.requests.push({path: request.url ?? '', authorization: request.headers.authorization});
		if (crm.mode === 'hang') return;
		if (crm.mode === 'error') return void response.writeHead(500).end('storm');
		if (request.headers.authorization !== `Bearer ${token}`) return void response.writeHead(401).end();
		const id = decodeURIComponent((request.url ?? '').replace('/api/accounts/', ''));
		if (id === 'MOVED') return void response.writeHead(302, {location: 'http://127.0.0.2/elsewhere'}).end();
		if (id === 'HTML') return void response.writeHead(200, {'content-type': 'text/html'}).end('<html>maintenance</html>');
		const body = accounts[id];
		if (body === undefined) return void response.writeHead(404).end('{"error": "no such account"}');
		response.writeHead(200, {'content-type': 'application/json'}).end(body);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	t.teardown(async () => {
		server.closeAllConnections();
		await new Promise(resolve => server.close(resolve));
	});
	crm.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/accounts/{id}`;
	return crm;
}

const fields = 'due=/amounts/due,paid=/amounts/paid,currency=/currency,segment=/segment';

async function open(t: ExecutionContext, crm: Crm, env: Record<string, string> = {}, outcomes?: LookupOutcome[]): Promise<AccountSource> {
	const source = await openAccountSource(readCrmSettings({CRM_URL: crm.url, CRM_FIELDS: fields, CRM_TOKEN: token, ...env}), {onLookup: (_seconds, outcome) => outcomes?.push(outcome)});
	if (!source) throw new Error('no source');
	t.teardown(async () => source.close());
	return source;
}

test('200 answers read through CRM_FIELDS, strings and JSON numbers alike exact; 404 is an unknown account', async t => {
	const crm = await startCrm(t);
	const outcomes: LookupOutcome[] = [];
	const source = await open(t, crm, {}, outcomes);
	const found = await source.getMany(['acct100', 'ACCT200', 'ACCT300', 'ACCT999']);
	t.deepEqual([...found.keys()].sort(), ['ACCT100', 'ACCT200', 'ACCT300']);
	t.like(found.get('ACCT100'), {due: 10_000, paid: 6000, currency: 'USD', segment: 'retail'});
	t.like(found.get('ACCT200'), {due: 1_234_567_890_123_410, paid: 5, currency: 'EUR'});
	t.like(found.get('ACCT300'), {due: 500, paid: 0, currency: 'USD'});
	t.deepEqual(outcomes.sort(), ['found', 'found', 'found', 'unknown']);
	t.true(crm.requests.every(request => request.authorization === `Bearer ${token}`));
	t.true(crm.requests.some(request => request.path === '/api/accounts/ACCT100'));
});

test('http:// on a loopback host works, with a warning to print; the description has no token', async t => {
	const crm = await startCrm(t);
	const source = await open(t, crm);
	t.deepEqual(source.warnings, ['CRM_URL uses http:// on a loopback host: answers and CRM_TOKEN travel unencrypted']);
	t.is(source.description, `http ${crm.url}`);
	t.false(source.description.includes(token));
});

test('a 500 storm makes every lookup unavailable, and the next answer after it is read again', async t => {
	const crm = await startCrm(t);
	const outcomes: LookupOutcome[] = [];
	const source = await open(t, crm, {}, outcomes);
	crm.mode = 'error';
	for (let question = 0; question < 5; question++) {
		const error = await t.throwsAsync(source.getMany(['ACCT100']), {instanceOf: AccountSourceError});
		t.is(error.code, 'unavailable');
		t.is(error.message, `http ${crm.url}: answered 500`);
	}
	await t.throwsAsync(source.ping(), {instanceOf: AccountSourceError});
	crm.mode = 'normal';
	t.is((await source.getMany(['ACCT100'])).get('ACCT100')?.due, 10_000);
	await source.ping();
	// A ping is not a lookup: it is not observed.
	t.deepEqual(outcomes, ['unavailable', 'unavailable', 'unavailable', 'unavailable', 'unavailable', 'found']);
});

test('a CRM that hangs past CRM_TIMEOUT is a timeout, and answers again once it stops hanging', async t => {
	const crm = await startCrm(t);
	const source = await open(t, crm, {CRM_TIMEOUT: '300ms'});
	crm.mode = 'hang';
	const started = Date.now();
	const error = await t.throwsAsync(source.getMany(['ACCT100', 'ACCT200']), {instanceOf: AccountSourceError});
	t.is(error.code, 'timeout');
	t.true(Date.now() - started < 2000, `gave up after ${Date.now() - started} ms`);
	crm.mode = 'normal';
	t.is((await source.getMany(['ACCT200'])).get('ACCT200')?.due, 1_234_567_890_123_410);
});

test('a refused CRM_TOKEN is unavailable and says to check CRM_TOKEN, without printing it', async t => {
	const crm = await startCrm(t);
	const source = await open(t, crm, {CRM_TOKEN: 'wrong-token-also-secret'});
	const error = await t.throwsAsync(source.getMany(['ACCT100']), {instanceOf: AccountSourceError});
	t.is(error.code, 'unavailable');
	t.is(error.message, `http ${crm.url}: answered 401 (check CRM_TOKEN)`);
	t.false(JSON.stringify(error, Object.getOwnPropertyNames(error)).includes('secret'));
});

test('a 200 without the fields, with an inexact number, or not JSON is invalid-data; a redirect is not followed', async t => {
	const crm = await startCrm(t);
	const source = await open(t, crm);
	const cases: Array<[string, string]> = [
		['ACCT400', `http ${crm.url}: the answer for ACCT400 has no due at /amounts/due`],
		['ACCT500', `http ${crm.url}: due of ACCT500 at /amounts/due is not an exact decimal amount`],
		['HTML', `http ${crm.url}: the answer for HTML is not JSON`],
		['MOVED', `http ${crm.url}: answered 302 for MOVED`],
	];
	for (const [id, message] of cases) {
		const error = await t.throwsAsync(source.getMany([id]), {instanceOf: AccountSourceError});
		t.is(error.code, 'invalid-data');
		t.is(error.message, message);
	}
	t.false(crm.requests.some(request => request.path.includes('elsewhere')));
});

test('a CRM that is not listening is unavailable', async t => {
	const crm = await startCrm(t);
	const source = await open(t, crm, {CRM_URL: crm.url.replace(/:\d+\//, ':1/')});
	const error = await t.throwsAsync(source.getMany(['ACCT100']), {instanceOf: AccountSourceError});
	t.is(error.code, 'unavailable');
	t.is(error.message, `http http://127.0.0.1:1/api/accounts/{id}: ECONNREFUSED`);
});

test('CRM_POOL bounds the requests in flight to the CRM', async t => {
	let inFlight = 0;
	let most = 0;
	const server = http.createServer((_request, response) => {
		inFlight++;
		most = Math.max(most, inFlight);
		setTimeout(() => {
			inFlight--;
			response.writeHead(200, {'content-type': 'application/json'}).end('{"due": "1.00", "paid": "0"}');
		}, 30);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	t.teardown(async () => {
		server.closeAllConnections();
		await new Promise(resolve => server.close(resolve));
	});
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/accounts/{id}`;
	const source = await openAccountSource(readCrmSettings({CRM_URL: url, CRM_POOL: '2'}));
	t.teardown(async () => source?.close());
	const ids = Array.from({length: 10}, (_unused, index) => `ACCT${index}`);
	t.is((await source!.getMany(ids)).size, 10);
	t.is(most, 2);
});
