// The JSON policy file: canonical grants, or one line saying where it is wrong.
import test from 'ava';
import {GrantSyntaxError} from '../../../server/policy/grant.js';
import {parsePolicy} from '../../../server/policy/policyFile.js';

test('grants come back canonical and without repeats', t => {
	const text = JSON.stringify({
		grants: [
			{subject: 'Kate@Globomantics.com', scopes: ['segment:Branch-042', 'SEGMENT:branch-042', 'acct100']},
			{subject: '*', scopes: ['ALL']},
		],
	});
	t.deepEqual(parsePolicy(text, 'policy.json'), [
		{subject: 'kate@globomantics.com', scope: 'segment:branch-042'},
		{subject: 'kate@globomantics.com', scope: 'ACCT100'},
		{subject: '*', scope: 'all'},
	]);
	t.deepEqual(parsePolicy('{"grants": []}', 'empty.json'), [], 'an empty set is a valid policy: nobody sees anything');
});

test('each problem is one line naming where it is', t => {
	const cases: Array<[string, string]> = [
		['{', 'p.json: not JSON ('],
		['[]', 'p.json: the file: '],
		['{"grants": [{"subject": "kate@globomantics.com"}]}', 'p.json: grants[0].scopes: '],
		['{"grants": [{"subject": "kate@globomantics.com", "scopes": []}]}', 'p.json: grants[0].scopes: needs at least one scope'],
		['{"grants": [], "extra": 1}', 'p.json: the file: '],
		['{"grants": [{"subject": "a@b.com", "scopes": ["all"]}, {"subject": "mallory@example.com@globomantics.com", "scopes": ["all"]}]}', 'p.json: grants[1]: subject "mallory@example.com@globomantics.com" must be'],
		['{"grants": [{"subject": "a@b.com", "scopes": ["all", "ACCT 1"]}]}', 'p.json: grants[0].scopes[1]: scope "ACCT 1" must be'],
	];
	for (const [text, start] of cases) {
		const error = t.throws(() => parsePolicy(text, 'p.json'), {instanceOf: GrantSyntaxError}, text);
		t.true(error!.message.startsWith(start), `${text} → ${error!.message}`);
		t.false(error!.message.includes('\n'));
	}
});
