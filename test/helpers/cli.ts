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

export function runCli(args: string[], env: Record<string, string> = {}, {input}: {input?: string} = {}): Promise<CliResult> {
	if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it)');
	return new Promise(resolve => {
		const child = execFile(
			process.execPath,
			[cli, ...args],
			// A clean environment: nothing of the developer's WEBEX_TOKEN or DATABASE_URL leaks in.
			{env: {PATH: process.env['PATH'] ?? '', CI: 'true', ...env}, timeout: 30_000},
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
				resolve({code, stdout, stderr});
			},
		);
		// Standard input is a pipe: given text, then end of file (commands reading stdin must not hang).
		child.stdin?.end(input ?? '');
	});
}

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** Runs the compiled CLI with its stdout on a real pseudo-terminal (util-linux `script`), as a person at a terminal would. */
export function runCliInTerminal(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
	if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it)');
	const command = [process.execPath, cli, ...args].map(quote).join(' ');
	return new Promise(resolve => {
		execFile(
			'script',
			['--quiet', '--return', '--command', command, '/dev/null'],
			{env: {PATH: process.env['PATH'] ?? '', TERM: 'xterm-256color', ...env}, timeout: 30_000},
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
