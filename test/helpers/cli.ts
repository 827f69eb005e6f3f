// Runs the compiled globobot-admin (dist/cli.js, built by `npm test`) as a user
// would: real argv, real exit code, stdout and stderr apart, no terminal.
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {ExecutionContext} from 'ava';

const cli = path.resolve('dist/cli.js');

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
	if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it)');
	return new Promise(resolve => {
		execFile(
			process.execPath,
			[cli, ...args],
			// A clean environment: nothing of the developer's WEBEX_TOKEN or DATABASE_URL leaks in.
			{env: {PATH: process.env['PATH'] ?? '', CI: 'true', ...env}, timeout: 30_000},
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
				resolve({code, stdout, stderr});
			},
		);
	});
}

/** A throwaway GLOBOBOT_HOME, removed after the test. */
export function tempHome(t: ExecutionContext): string {
	const home = mkdtempSync(path.join(tmpdir(), 'globobot-home-'));
	t.teardown(() => rmSync(home, {recursive: true, force: true}));
	return home;
}
