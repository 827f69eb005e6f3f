import test from 'ava';
import fc from 'fast-check';
import {selectQueryProblem} from '../../../source/crm/sources/selectQuery.js';

for (const [sql, style] of [
	['SELECT due, paid FROM accounts WHERE id = $1', 'dollar'],
	["SELECT owed AS due, settled AS paid FROM ledger WHERE ref = $1 AND note <> 'a;b -- not a comment'", 'dollar'],
	['SELECT due, paid FROM t WHERE id = $1 OR alias = $1;', 'dollar'],
	["SELECT due, paid FROM t WHERE id = $1 AND flags ? 'active'", 'dollar'],
	['WITH latest AS (SELECT * FROM balances WHERE ref = $1) SELECT due, paid FROM latest', 'dollar'],
	['SELECT "update" AS due, paid FROM t WHERE id = $1 -- update; delete', 'dollar'],
	["SELECT due, paid FROM t WHERE id = ? AND status = 'INSERT INTO ?'", 'question'],
	['SELECT CAST(owed AS CHAR CHARACTER SET utf8) AS due, paid FROM `select` WHERE id = ?', 'question'],
	['/* balances */ select due, paid from t where id = ?', 'question'],
] as const) {
	test(`accepted: ${sql}`, t => {
		t.is(selectQueryProblem(sql, style), undefined);
	});
}

for (const [sql, style, problem] of [
	['UPDATE t SET paid = due WHERE id = $1', 'dollar', 'CRM_QUERY must be a SELECT'],
	['SELECT due, paid FROM t WHERE id = $1; DROP TABLE t', 'dollar', 'CRM_QUERY must be a single statement (no ";" between statements)'],
	['WITH gone AS (DELETE FROM t WHERE id = $1 RETURNING due, paid) SELECT * FROM gone', 'dollar', 'CRM_QUERY must only read (it contains DELETE)'],
	['SELECT due, paid INTO backup FROM t WHERE id = $1', 'dollar', 'CRM_QUERY must only read (SELECT … INTO writes)'],
	['SELECT due, paid FROM t WHERE id = $1 FOR UPDATE', 'dollar', 'CRM_QUERY must not lock rows (FOR UPDATE / FOR SHARE)'],
	['SELECT due, paid FROM t WHERE id = ? LOCK IN SHARE MODE', 'question', 'CRM_QUERY must not lock rows (FOR UPDATE / FOR SHARE)'],
	['SELECT due, paid FROM t WHERE id = ?', 'dollar', 'CRM_QUERY must take the account id as $1 (PostgreSQL does not use ?)'],
	['SELECT due, paid FROM t WHERE id = $1 AND branch = $2', 'dollar', 'CRM_QUERY takes one parameter, $1 (the account id)'],
	['SELECT due, paid FROM t', 'dollar', 'CRM_QUERY must take the account id as $1 (PostgreSQL does not use ?)'],
	['SELECT due, paid FROM t WHERE id = $1', 'question', 'CRM_QUERY for MySQL, MariaDB or SQLite uses ?, not $1'],
	['SELECT due, paid FROM t WHERE id = ? OR alias = ?', 'question', 'CRM_QUERY must take the account id as exactly one ? (it has 2)'],
	["SELECT due, paid FROM t WHERE id = 'unterminated", 'question', "CRM_QUERY has an unterminated ' quote"],
	['DELETE FROM t', 'question', 'CRM_QUERY must be a SELECT'],
] as const) {
	test(`refused: ${sql}`, t => {
		t.is(selectQueryProblem(sql, style), problem);
	});
}

test('a second statement after a ; is refused whatever the literals before it hold', t => {
	t.notThrows(() => fc.assert(
		fc.property(fc.string({unit: fc.constantFrom('a', ';', "''", ' ', '-', '\n')}), fc.constantFrom('DROP TABLE t', 'UPDATE t SET a = 1', 'SELECT 1'), (literal, second) => {
			const sql = `SELECT due, paid FROM t WHERE id = ? AND note = '${literal.replaceAll("'", "''")}'; ${second}`;
			return selectQueryProblem(sql, 'question') !== undefined;
		}),
	));
});
