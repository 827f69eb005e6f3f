// What `npm pack` ships (package.json `files`): the built CLI and what it needs at run time, not the tests or the bench.
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import test from 'ava';

const run = promisify(execFile);

test('the packed file list has dist/cli.js, the demo seed and README, and no sources, tests or bench', async t => {
	// --ignore-scripts: list what dist/ holds now rather than rebuild it under other tests' feet (prepack builds for a real pack).
	const {stdout} = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {env: {...process.env, npm_config_loglevel: 'silent'}});
	const [pack] = JSON.parse(stdout) as Array<{files: Array<{path: string}>}>;
	const files = pack!.files.map(file => file.path);
	for (const needed of ['dist/cli.js', 'fixtures/seed/accounts.json', 'README.md', 'package.json']) t.true(files.includes(needed), needed);
	t.true(files.some(file => /^dist\/chunks\/.*\.js\.map$/.test(file)), 'source maps, for DEBUG stack traces');
	t.deepEqual(files.filter(file => /^(test|bench|source|server|scripts|deploy)\//.test(file) || file.endsWith('.ts') || file.endsWith('.tsx')), []);
});

test('package.json builds before packing and installs the globobot-admin command', async t => {
	const {default: manifest} = (await import('../package.json', {with: {type: 'json'}})) as {default: {scripts: Record<string, string>; bin: Record<string, string>}};
	t.regex(manifest.scripts['prepack'] ?? '', /build/);
	t.is(manifest.bin['globobot-admin'], 'dist/cli.js');
});
