// deploy/globobot.service: systemd's own checker, and the hardening it promises.
import {execFile, execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import test from 'ava';

const unit = readFileSync('deploy/globobot.service', 'utf8');

const hasCommand = (name: string) => {
	try {
		execFileSync('sh', ['-c', `command -v ${name}`], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
};

/** `Key=value` lines of the unit (last one wins, as in systemd, except lists we only test for presence). */
const settings = new Map(unit.split('\n').filter(line => /^[A-Z]\w*=/.test(line)).map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const));

test('systemd-analyze verify accepts the unit without a warning', async t => {
	if (!hasCommand('systemd-analyze')) return t.pass('systemd-analyze is not installed here: skipped');
	// verify also checks that ExecStart's program exists: on this machine globobot-admin is dist/cli.js, not yet
	// installed in /usr/local/bin, so only that path is swapped; every other line is checked as shipped.
	const folder = mkdtempSync(path.join(tmpdir(), 'globobot-unit-'));
	t.teardown(() => rmSync(folder, {recursive: true, force: true}));
	const copy = path.join(folder, 'globobot.service');
	writeFileSync(copy, unit.replace(/^ExecStart=\/usr\/local\/bin\/globobot-admin /m, `ExecStart=${process.execPath} ${path.resolve('dist/cli.js')} `));
	t.not(readFileSync(copy, 'utf8'), unit, 'ExecStart was found and swapped');
	const {stderr} = await promisify(execFile)('systemd-analyze', ['verify', copy]).catch((error: {stderr: string}) => ({stderr: error.stderr || String(error)}));
	t.is(stderr.trim(), '');
});

test('the unit runs serve unprivileged, in a read-only system, restarting on failure but not on a bad setting', t => {
	t.is(settings.get('ExecStart'), '/usr/local/bin/globobot-admin serve');
	t.is(settings.get('DynamicUser'), 'yes');
	t.is(settings.get('StateDirectory'), 'globobot');
	t.is(settings.get('StateDirectoryMode'), '0700');
	t.is(settings.get('ProtectSystem'), 'strict');
	t.is(settings.get('NoNewPrivileges'), 'yes');
	t.is(settings.get('Restart'), 'on-failure');
	t.is(settings.get('RestartPreventExitStatus'), '2');
	t.is(settings.get('CapabilityBoundingSet'), '');
	t.regex(settings.get('Environment') ?? '', /GLOBOBOT_HOME=\/var\/lib\/globobot/);
	t.is(settings.get('EnvironmentFile'), '/etc/globobot/globobot.env');
});
