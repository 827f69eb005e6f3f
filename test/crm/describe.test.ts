import test from 'ava';
import {describeDatabaseUrl} from '../../source/crm/describe.js';

test('a postgres URL never shows its password; a SQLite path shows where the file is', t => {
	t.is(describeDatabaseUrl('postgres://bot:hunter2@db.example.com:5432/crm'), 'postgres db.example.com:5432/crm');
	t.is(describeDatabaseUrl('/var/lib/globobot/crm.db'), 'sqlite /var/lib/globobot/crm.db');
});
