// The websocket settings in source/config.ts: defaults, overrides, and a
// one-line ConfigError for each bad value (never echoing a proxy password).
import test from 'ava';
import {ConfigError, loadConfig} from '../../../source/config.js';

const base = {GLOBOBOT_HOME: '/tmp/globobot-config-test'};

test('defaults: webhook events, the public U2C catalog, device "globobot", kept on shutdown, no proxy', t => {
	const config = loadConfig({}, base);
	t.like(config, {events: 'webhook', webexCatalogUrl: 'https://u2c.wbx2.com/u2c/api/v1/catalog', deviceName: 'globobot', deleteDevice: false});
	t.is(config.httpsProxy, undefined);
});

test('the environment and --events set them; the flag wins', t => {
	const env = {...base, GLOBOBOT_EVENTS: 'webhook', WEBEX_CATALOG_URL: 'http://127.0.0.1:8900/u2c/api/v1/catalog', GLOBOBOT_DEVICE_NAME: 'globobot-eu', GLOBOBOT_DELETE_DEVICE: 'true', HTTPS_PROXY: 'http://user:pw@proxy.bank.example:3128'};
	const config = loadConfig({events: 'websocket'}, env);
	t.like(config, {events: 'websocket', webexCatalogUrl: 'http://127.0.0.1:8900/u2c/api/v1/catalog', deviceName: 'globobot-eu', deleteDevice: true, httpsProxy: 'http://user:pw@proxy.bank.example:3128'});
	t.is(loadConfig({}, {...base, https_proxy: 'http://proxy:3128'}).httpsProxy, 'http://proxy:3128');
	t.is(loadConfig({}, {...base, HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost,.internal'}).noProxy, 'localhost,.internal');
	t.is(loadConfig({}, {...base, HTTPS_PROXY: 'http://proxy:3128', no_proxy: '127.0.0.1'}).noProxy, '127.0.0.1');
	t.is(loadConfig({}, {...base, NO_PROXY: 'localhost'}).noProxy, undefined, 'nothing to except from without a proxy');
});

test('bad values are one-line configuration errors', t => {
	for (const [env, pattern] of [
		[{GLOBOBOT_EVENTS: 'carrier-pigeon'}, /GLOBOBOT_EVENTS/],
		[{WEBEX_CATALOG_URL: 'u2c.wbx2.com'}, /WEBEX_CATALOG_URL/],
		[{GLOBOBOT_DELETE_DEVICE: 'maybe'}, /GLOBOBOT_DELETE_DEVICE/],
		[{HTTPS_PROXY: 'not a url:secretpw'}, /HTTPS_PROXY/],
	] as const) {
		const error = t.throws(() => loadConfig({}, {...base, ...env}), {instanceOf: ConfigError});
		t.regex(error!.message, pattern);
		t.false(error!.message.includes('\n'));
		t.false(error!.message.includes('secretpw'));
	}
	t.throws(() => loadConfig({events: 'sms'}, base), {instanceOf: ConfigError, message: /--events/});
});
