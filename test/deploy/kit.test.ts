// The rest of deploy/: the environment file is one globobot accepts, the container runs unprivileged,
// the proxy publishes the webhook and nothing else.
import {readFileSync} from 'node:fs';
import test from 'ava';
import {loadConfig} from '../../source/config.js';

const read = (file: string) => readFileSync(`deploy/${file}`, 'utf8');

test('globobot.env.example, as written, is a configuration loadConfig accepts', t => {
	const env = Object.fromEntries(
		read('globobot.env.example')
			.split('\n')
			.filter(line => /^[A-Z_]+=/.test(line))
			.map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
	);
	t.truthy(env['WEBEX_TOKEN']);
	const config = loadConfig({}, {...env, GLOBOBOT_HOME: '/var/lib/globobot'});
	t.is(config.publicUrl, 'https://bot.example.com');
	t.is(config.host, '127.0.0.1');
	t.deepEqual(config.allow, ['@globomantics.com']);
	t.is(config.webhookSecrets.length, 1);
});

test('the Dockerfile builds in one stage and runs in another as a non-root user, and says it was not built here', t => {
	const dockerfile = read('Dockerfile');
	const stages = dockerfile.split('\n').filter(line => line.startsWith('FROM '));
	t.is(stages.length, 2);
	const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
	t.regex(runtime, /^USER node$/m);
	t.true(runtime.indexOf('USER node') < runtime.indexOf('ENTRYPOINT'));
	t.regex(runtime, /^ENTRYPOINT \["node", "\/app\/dist\/cli\.js"\]$/m);
	t.regex(dockerfile, /Not built here: no registry for base images/);
});

test('the Caddyfile proxies only the webhook path to the loopback listener', t => {
	const caddyfile = read('Caddyfile');
	t.regex(caddyfile, /handle \/wtwebhook \{\n\t\treverse_proxy 127\.0\.0\.1:5000/);
	t.regex(caddyfile, /handle \{\n\t\trespond 404\n\t\}/);
	t.notRegex(caddyfile, /handle \/metrics/);
});
