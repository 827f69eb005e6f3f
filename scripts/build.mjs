#!/usr/bin/env node
// Compiles cli.tsx into dist/ with esbuild, bundled as scripts/cliBundle.mjs says
// (our own code bundled, native addons and serve-only dependencies external).
// Code splitting keeps each subcommand in its own chunk, so `serve` never
// evaluates Ink and the TUI never evaluates Koa. Type-checking is tsc's job.
import {chmod, rm} from 'node:fs/promises';
import {build} from 'esbuild';
import {cliBundle, requireShim} from './cliBundle.mjs';

await rm('dist', {recursive: true, force: true});
await build({
	...cliBundle,
	entryPoints: ['cli.tsx'],
	outdir: 'dist',
	splitting: true,
	// Minified code parses faster; the source maps (shipped in the package) make DEBUG's stack
	// traces name the TypeScript sources: cli.tsx enables them at run time when DEBUG is set.
	minify: true,
	sourcemap: true,
	chunkNames: 'chunks/[name]-[hash]',
	banner: {js: `#!/usr/bin/env node\n${requireShim}`},
});
await chmod('dist/cli.js', 0o755);
