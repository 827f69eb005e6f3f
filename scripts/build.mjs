#!/usr/bin/env node
// Compiles cli.tsx into dist/ with esbuild. Our own code is bundled (fewer files
// to read at start-up); dependencies stay external and load from node_modules.
// Code splitting keeps each subcommand in its own chunk, so `serve` never
// evaluates Ink and the TUI never evaluates Koa. Type-checking is tsc's job.
import {chmod, rm} from 'node:fs/promises';
import {build} from 'esbuild';

await rm('dist', {recursive: true, force: true});
await build({
	entryPoints: ['cli.tsx'],
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	packages: 'external',
	jsx: 'automatic',
	sourcemap: true,
	chunkNames: 'chunks/[name]-[hash]',
	banner: {js: '#!/usr/bin/env node'},
	logLevel: 'warning',
});
await chmod('dist/cli.js', 0o755);
