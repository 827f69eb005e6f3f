// NO_PROXY's rules for the websocket's agent, as curl and undici read them.
import test from 'ava';
import {bypassesProxy} from '../../source/webex/noProxy.js';

test('a host, a parent domain (with or without its dot or *.), a port, a list, or *', t => {
	const cases: Array<[url: string, noProxy: string | undefined, direct: boolean]> = [
		['wss://mercury.wbx2.com/socket', undefined, false],
		['wss://mercury.wbx2.com/socket', '', false],
		['wss://mercury.wbx2.com/socket', '  ', false],
		['wss://mercury.wbx2.com/socket', '*', true],
		['ws://127.0.0.1:8901/socket', '127.0.0.1', true],
		['ws://127.0.0.1:8901/socket', 'localhost,127.0.0.1', true],
		['ws://127.0.0.1:8901/socket', 'localhost 127.0.0.1', true],
		['ws://127.0.0.1:8901/socket', '127.0.0.1:8901', true],
		['ws://127.0.0.1:8901/socket', '127.0.0.1:8902', false],
		['wss://mercury.wbx2.com/socket', 'wbx2.com', true],
		['wss://mercury.wbx2.com/socket', '.wbx2.com', true],
		['wss://mercury.wbx2.com/socket', '*.WBX2.com', true],
		['wss://mercury.wbx2.com/socket', 'wbx2.com:443', true],
		['wss://mercury.wbx2.com/socket', 'wbx2.com:80', false],
		['wss://mercury.wbx2.com/socket', 'x2.com', false],
		['wss://mercury.wbx2.com/socket', 'mercury.wbx2.com.evil', false],
		['ws://[::1]:8901/socket', '[::1]', true],
		['ws://[::1]:8901/socket', '::1', false],
	];
	for (const [url, noProxy, direct] of cases) t.is(bypassesProxy(url, noProxy), direct, `${url} with NO_PROXY=${JSON.stringify(noProxy)}`);
});
