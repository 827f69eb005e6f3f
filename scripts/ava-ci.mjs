#!/usr/bin/env node
// Runs ava with the TAP reporter, streams its output, and ends with the plain
// line CI reads: "N passed, N failed, N skipped". ava prints no such line itself
// (and on failure omits the pass count), so we count TAP's ok / not ok lines.
import {spawn} from 'node:child_process';
import {createInterface} from 'node:readline';

const child = spawn(process.execPath, ['node_modules/ava/entrypoints/cli.mjs', '--tap', ...process.argv.slice(2)], {
	stdio: ['ignore', 'pipe', 'inherit'],
});
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = createInterface({input: child.stdout});
lines.on('line', line => {
	process.stdout.write(line + '\n');
	if (/^ok\b/.test(line)) {
		if (/#\s*(SKIP|TODO)\b/i.test(line)) skipped++;
		else passed++;
	} else if (/^not ok\b/.test(line)) {
		if (/#\s*(SKIP|TODO)\b/i.test(line)) skipped++;
		else failed++;
	}
});
child.on('close', code => {
	// A crash or uncaught exception can exit non-zero with every counted test green.
	if (code !== 0 && failed === 0) failed = 1;
	process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
	process.exit(code ?? 1);
});
