import test from 'ava';
import {ConfigError} from '../../../source/configError.js';
import {openAccountSource} from '../../../source/crm/sources/index.js';
import {readCrmSettings} from '../../../source/crm/sources/settings.js';

test('without CRM_URL there is no live source: the caller answers from DATABASE_URL as before', async t => {
	t.is(await openAccountSource(readCrmSettings({})), undefined);
});

test('settings built by hand get the same refusals as loadConfig gives', async t => {
	const settings = readCrmSettings({});
	await t.throwsAsync(openAccountSource({...settings, crmUrl: 'oracle://db/crm'}), {instanceOf: ConfigError, message: 'CRM_URL has an unknown scheme "oracle:"'});
	await t.throwsAsync(openAccountSource({...settings, crmUrl: 'postgres://db/crm'}), {instanceOf: ConfigError, message: 'CRM_QUERY is required for a SQL CRM'});
});
