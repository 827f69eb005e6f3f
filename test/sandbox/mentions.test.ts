import test from 'ava';
import {renderMarkdown} from '../../source/sandbox/mentions.js';
import type {SandboxPerson} from '../../source/sandbox/types.js';

const bot: SandboxPerson = {id: 'BOT', emails: ['globobot@webex.bot'], displayName: 'globobot', orgId: 'ORG', created: '2026-01-01T00:00:00.000Z', type: 'bot'};
const alice: SandboxPerson = {...bot, id: 'ALICE', emails: ['alice@globomantics.com'], displayName: 'Alice Admin', firstName: 'Alice', lastName: 'Admin', type: 'person'};
const people = [bot, alice];
const lookup = {byId: (id: string) => people.find(person => person.id === id), byEmail: (email: string) => people.find(person => person.emails.includes(email))};

test('a personId mention becomes the bare label in text, a spark-mention in html, and the id in mentionedPeople', t => {
	const rendered = renderMarkdown('<@personId:BOT|globobot> what is the balance for acct100?', lookup);
	t.is(rendered.text, 'globobot what is the balance for acct100?');
	t.is(rendered.html, '<p><spark-mention data-object-type="person" data-object-id="BOT">globobot</spark-mention> what is the balance for acct100?</p>');
	t.deepEqual(rendered.mentionedPeople, ['BOT']);
});

test('a personEmail mention without a label shows the first name', t => {
	const rendered = renderMarkdown('ask <@personEmail:alice@globomantics.com> and <@personId:BOT|bot>', lookup);
	t.is(rendered.text, 'ask Alice and bot');
	t.deepEqual(rendered.mentionedPeople, ['ALICE', 'BOT']);
});

test('a mention of an unknown person is plain text, not a mention', t => {
	const rendered = renderMarkdown('<@personEmail:nobody@example.com|Nobody> hi', lookup);
	t.is(rendered.text, 'Nobody hi');
	t.false(rendered.html.includes('spark-mention'));
	t.deepEqual(rendered.mentionedPeople, []);
});

test('the text around mentions is escaped in html', t => {
	const rendered = renderMarkdown('<@personId:BOT|globobot> <script>&', lookup);
	t.true(rendered.html.endsWith(' &lt;script&gt;&amp;</p>'));
	t.is(rendered.text, 'globobot <script>&');
});
