import {readFileSync} from 'node:fs';
import test from 'ava';
import {version} from '../source/version.js';

test('--version reports the version in package.json', t => {
	const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
	t.is(version, manifest.version);
});
