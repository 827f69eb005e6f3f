import path from 'node:path';
import test from 'ava';
import {crmKind, describeCrmUrl} from '../../../source/crm/sources/describe.js';

test('the scheme chooses the source; a path is a SQLite file; anything else is unknown', t => {
	t.is(crmKind('postgres://db/crm'), 'postgres');
	t.is(crmKind('postgresql://db/crm'), 'postgres');
	t.is(crmKind('mysql://db/crm'), 'mysql');
	t.is(crmKind('MariaDB://db/crm'), 'mysql');
	t.is(crmKind('https://crm.example/{id}'), 'http');
	t.is(crmKind('/srv/crm.db'), 'sqlite');
	t.is(crmKind('crm.db'), 'sqlite');
	t.is(crmKind('oracle://db/crm'), undefined);
	t.is(crmKind('file:crm.db'), undefined);
});

test('descriptions name the place and never a password, a token or a query string', t => {
	t.is(describeCrmUrl('postgres://ro:p%40ss@db.example/crm?sslmode=require'), 'postgres db.example:5432/crm (CRM_QUERY)');
	t.is(describeCrmUrl('mariadb://ro:secret@db.example:3307/crm'), 'mariadb db.example:3307/crm (CRM_QUERY)');
	t.is(describeCrmUrl('crm.db'), `sqlite ${path.resolve('crm.db')} (CRM_QUERY)`);
	t.is(describeCrmUrl('https://crm.example/api/accounts/{id}?api_key=k3y'), 'http https://crm.example/api/accounts/{id}?…');
	t.is(describeCrmUrl('postgres://[bad'), 'postgres');
});
