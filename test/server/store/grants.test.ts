// The grant table on both backends: grant, revoke, list, replace all or nothing.
import test from 'ava';
import {migrateStore} from '../../../source/sql/migrate.js';
import {grantMigrations, openGrantStore} from '../../../server/store/grants.js';
import {backends} from '../../helpers/databases.js';
import {openTestStore} from '../../helpers/stores.js';

for (const backend of backends) {
	const name = (title: string) => `${backend.name}: ${title}`;

	test(name('grant adds what is missing, list is sorted the same on both backends'), async t => {
		const grants = await openGrantStore(await openTestStore(t, backend));
		t.deepEqual(await grants.grant('kate@globomantics.com', ['ACCT100', 'ACCT1*', 'ACCT100']), [
			{subject: 'kate@globomantics.com', scope: 'ACCT100'},
			{subject: 'kate@globomantics.com', scope: 'ACCT1*'},
		]);
		t.deepEqual(await grants.grant('kate@globomantics.com', ['ACCT100']), [], 'already held');
		await grants.grant('*', ['segment:public']);
		await grants.grant('@globomantics.com', ['all']);
		t.deepEqual(await grants.list(), [
			{subject: '*', scope: 'segment:public'},
			{subject: '@globomantics.com', scope: 'all'},
			{subject: 'kate@globomantics.com', scope: 'ACCT1*'},
			{subject: 'kate@globomantics.com', scope: 'ACCT100'},
		]);
		t.deepEqual(
			(await grants.forSubjects(['kate@globomantics.com', '@example.com'])).map(grant => grant.scope),
			['ACCT1*', 'ACCT100'],
			'code-point order: * before digits',
		);
	});

	test(name('revoke removes named scopes, or every grant of the subject'), async t => {
		const grants = await openGrantStore(await openTestStore(t, backend));
		await grants.grant('kate@globomantics.com', ['ACCT100', 'ACCT200', 'ACCT300']);
		await grants.grant('bob@globomantics.com', ['ACCT100']);
		t.deepEqual(await grants.revoke('kate@globomantics.com', ['ACCT200', 'ACCT999']), [{subject: 'kate@globomantics.com', scope: 'ACCT200'}]);
		t.deepEqual((await grants.revoke('kate@globomantics.com')).map(grant => grant.scope), ['ACCT100', 'ACCT300']);
		t.deepEqual(await grants.revoke('kate@globomantics.com'), []);
		t.deepEqual(await grants.list(), [{subject: 'bob@globomantics.com', scope: 'ACCT100'}]);
	});

	test(name('replace makes the set exactly the file, and diff says what it would change'), async t => {
		const grants = await openGrantStore(await openTestStore(t, backend));
		await grants.grant('kate@globomantics.com', ['ACCT100', 'ACCT200']);
		const wanted = [
			{subject: 'kate@globomantics.com', scope: 'ACCT100'},
			{subject: '@globomantics.com', scope: 'segment:branch-1'},
		];
		const expected = {added: [{subject: '@globomantics.com', scope: 'segment:branch-1'}], removed: [{subject: 'kate@globomantics.com', scope: 'ACCT200'}], unchanged: 1};
		t.deepEqual(await grants.diff(wanted), expected);
		t.is((await grants.list()).length, 2, 'diff changed nothing');
		t.deepEqual(await grants.replace(wanted), expected);
		t.deepEqual(await grants.list(), [...wanted].reverse());
		t.deepEqual(await grants.replace(wanted), {added: [], removed: [], unchanged: 2});
	});

	test(name('the table is a named migration, applied once however often it is opened'), async t => {
		const store = await openTestStore(t, backend);
		await openGrantStore(store);
		await openGrantStore(store);
		t.deepEqual(await migrateStore(store, grantMigrations), []);
	});
}
