// One question through grants, throttle and a real account store, on both
// backends: what the requester would read, composed as the replier composes it.
import type {ExecutionContext} from 'ava';
import test from 'ava';
import fc from 'fast-check';
import {gateQuestion, type GateResult} from '../../../server/policy/gate.js';
import {grantsPolicy} from '../../../server/policy/grants.js';
import {noAccountLine, throttledText} from '../../../server/policy/refusal.js';
import {requesterOf} from '../../../server/policy/requester.js';
import {sqlThrottle} from '../../../server/policy/throttle.js';
import {openSqlStore} from '../../../server/store/open.js';
import {balanceOf, formatMoney} from '../../../source/crm/money.js';
import type {Account} from '../../../source/crm/types.js';
import {backends} from '../../helpers/databases.js';

const kate = requesterOf('PERSON-KATE', 'kate@globomantics.com');
const minute = 60_000;

/** The reply's text, as server/reply.ts words it: a figure per visible account, `no account ID` for every other. */
function compose(result: GateResult<Account>, ids: readonly string[]): string {
	if (result.kind === 'refusal') return 'refusal';
	if (result.kind === 'throttled') return throttledText(result.until);
	return ids
		.map(id => {
			const account = result.visible.get(id);
			return account ? `balance for ${id}: ${formatMoney(balanceOf(account), account.currency)}` : noAccountLine(id);
		})
		.join('\n');
}

async function crm(t: ExecutionContext, url: string) {
	const store = await openSqlStore(url);
	t.teardown(async () => store.close());
	await store.database.accounts.upsertMany([
		{id: 'ACCT100', due: 10_000, paid: 6000, currency: 'USD'},
		{id: 'ACCT200', due: 6000, paid: 7000, currency: 'USD'},
	]);
	return store;
}

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('granted ACCT100, asking acct100 acct200 acct999: the figure for ACCT100, and ACCT200 reads as if it did not exist'), async t => {
		const store = await crm(t, await backend.url(t));
		const policy = await grantsPolicy(store);
		await policy.store.grant('kate@globomantics.com', ['ACCT100']);
		const ids = ['ACCT100', 'ACCT200', 'ACCT999'];
		const asked = ['acct100', 'ACCT200', 'acct999'];
		const whileItExists = compose(await gateQuestion({policy, lookup: store.database.accounts}, kate, asked, 'Q1'), ids);
		t.is(whileItExists, 'balance for ACCT100: 40.00 USD\nno account ACCT200\nno account ACCT999');
		await store.run("DELETE FROM accounts WHERE id = 'ACCT200'");
		const afterItIsGone = compose(await gateQuestion({policy, lookup: store.database.accounts}, kate, asked, 'Q1'), ids);
		t.is(Buffer.compare(Buffer.from(whileItExists), Buffer.from(afterItIsGone)), 0, 'byte-identical: denial reveals nothing');
	});

	test(name('nothing granted: the general refusal, nothing looked up'), async t => {
		const store = await crm(t, await backend.url(t));
		let lookups = 0;
		const lookup = {getMany: async (ids: readonly string[]) => (lookups++, store.database.accounts.getMany(ids))};
		t.deepEqual(await gateQuestion({policy: await grantsPolicy(store), lookup}, kate, ['ACCT100'], 'Q1'), {kind: 'refusal'});
		t.is(lookups, 0);
	});

	test(name("a segment grant follows the account's segment from the CRM source"), async t => {
		const policy = await grantsPolicy(await crm(t, await backend.url(t)));
		await policy.store.grant('@globomantics.com', ['segment:branch-042']);
		// A CRM source reporting segments (the embedded store gains its column with the CRM-source work).
		const accounts = new Map<string, Account & {segment?: string}>([
			['ACCT100', {id: 'ACCT100', due: 100, paid: 0, currency: 'USD', updatedAt: '', segment: 'Branch-042'}],
			['ACCT200', {id: 'ACCT200', due: 200, paid: 0, currency: 'USD', updatedAt: '', segment: 'branch-017'}],
		]);
		const lookup = {getMany: async (ids: readonly string[]) => new Map([...accounts].filter(([id]) => ids.includes(id)))};
		const ids = ['ACCT100', 'ACCT200'];
		t.is(compose(await gateQuestion({policy, lookup}, kate, ids, 'Q1'), ids), 'balance for ACCT100: 1.00 USD\nno account ACCT200');
		// The CRM moves the accounts between branches: the answer follows at once.
		accounts.set('ACCT100', {...accounts.get('ACCT100')!, segment: 'branch-017'});
		accounts.set('ACCT200', {...accounts.get('ACCT200')!, segment: 'BRANCH-042'});
		t.is(compose(await gateQuestion({policy, lookup}, kate, ids, 'Q1'), ids), 'no account ACCT100\nbalance for ACCT200: 2.00 USD');
	});

	test(name('over the lookups limit: the notice, no figures, no lookup; misses count unknown and denied ids'), async t => {
		const store = await crm(t, await backend.url(t));
		let now = Date.UTC(2026, 11, 1, 9, 0, 0);
		let lookups = 0;
		const lookup = {getMany: async (ids: readonly string[]) => (lookups++, store.database.accounts.getMany(ids))};
		const policy = await grantsPolicy(store);
		await policy.store.grant('kate@globomantics.com', ['ACCT100']);
		const throttle = await sqlThrottle(store, {lookups: {max: 4, windowMs: 10 * minute}, misses: {max: 3, windowMs: 60 * minute}, now: () => now});
		let question = 0;
		const ask = async (...ids: string[]) => compose(await gateQuestion({policy, lookup, throttle}, kate, ids, `Q${++question}`), ids);

		t.is(await ask('ACCT100', 'ACCT100'), 'balance for ACCT100: 40.00 USD\nbalance for ACCT100: 40.00 USD');
		now += minute;
		t.is(await ask('ACCT100', 'ACCT100'), 'balance for ACCT100: 40.00 USD\nbalance for ACCT100: 40.00 USD');
		t.is(await ask('ACCT100'), 'You have asked for many accounts in a short time; please try again after 09:10 UTC');
		t.is(lookups, 2, 'the throttled question looked nothing up');
		now += 9 * minute;
		t.is(await ask('ACCT200', 'ACCT999'), 'no account ACCT200\nno account ACCT999', 'recovered at 09:10; two misses');
		now += minute;
		t.is(await ask('ACCT998'), 'no account ACCT998', 'a third miss');
		now += 9 * minute;
		t.is(await ask('ACCT100'), 'You have asked for many accounts in a short time; please try again after 10:10 UTC', 'misses: until the first two leave the hour');
		now += 50 * minute;
		t.is(await ask('ACCT100'), 'balance for ACCT100: 40.00 USD');
	});
}

// The property: for random grants and questions, no reply ever contains a figure for an account no grant covers.
const emails = ['kate@globomantics.com', 'bob@globomantics.com', 'eve@example.com'];
const ids = ['ACCT1', 'ACCT10', 'ACCT100', 'ACCT200', 'ACCT201', 'ACCT999'];
const glob = (pattern: string, text: string): boolean =>
	pattern === '' ? text === '' : pattern[0] === '*' ? glob(pattern.slice(1), text) || (text !== '' && glob(pattern, text.slice(1))) : text !== '' && pattern[0] === text[0] && glob(pattern.slice(1), text.slice(1));

for (const backend of backends) {
	test(`${backend.name}: property: no reply contains a figure for an account no grant covers`, async t => {
		const store = await openSqlStore(await backend.url(t));
		t.teardown(async () => store.close());
		// Every stored account has a figure no other has, so a leak would show in the text.
		await store.database.accounts.upsertMany(ids.slice(0, 5).map((id, index) => ({id, due: 100_000 + 1111 * (index + 1), paid: 0, currency: 'USD'})));
		const figures = new Map([...(await store.database.accounts.getMany(ids))].map(([id, account]) => [id, formatMoney(balanceOf(account), account.currency)]));
		const policy = await grantsPolicy(store);
		const subject = fc.constantFrom('*', '@globomantics.com', '@example.com', ...emails);
		const scope = fc.constantFrom('all', ...ids, 'ACCT1*', '*0', 'ACCT*0*', 'ACCT2*');
		await fc.assert(
			fc.asyncProperty(fc.array(fc.record({subject, scope}), {maxLength: 5}), fc.constantFrom(...emails), fc.array(fc.constantFrom(...ids), {minLength: 1, maxLength: 10}), async (grants, email, asked) => {
				await policy.store.replace([...new Map(grants.map(grant => [`${grant.subject} ${grant.scope}`, grant])).values()]);
				const text = compose(await gateQuestion({policy, lookup: store.database.accounts}, requesterOf('P', email), asked, 'Q1'), asked);
				const domain = email.slice(email.indexOf('@'));
				for (const [id, figure] of figures) {
					const covered = grants.some(grant => (grant.subject === '*' || grant.subject === email || grant.subject === domain) && (grant.scope === 'all' || glob(grant.scope, id)));
					if (!covered && text.includes(figure)) throw new Error(`${figure} of ${id} shown to ${email} under ${JSON.stringify(grants)}: ${text}`);
				}
			}),
			{numRuns: 50},
		);
		t.pass();
	});
}
