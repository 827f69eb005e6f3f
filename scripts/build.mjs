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
	// Native addons and what only `serve` loads stay in node_modules; everything else (Ink,
	// React, yoga, commander, zod, node-fetch) is bundled, halving the TUI's start-up:
	// reading and linking hundreds of small ESM files is most of Node 20's start-up cost.
	external: ['better-sqlite3', 'pg', 'pino', 'pino-pretty', 'koa', '@koa/router', 'prom-client', 'react-devtools-core'],
	jsx: 'automatic',
	// The shipped CLI uses React's production build (the development one checks every render),
	// and minified code parses faster; the source maps (shipped in the package) make DEBUG's
	// stack traces name the TypeScript sources: cli.tsx enables them at run time when DEBUG is set.
	define: {'process.env.NODE_ENV': '"production"'},
	minify: true,
	sourcemap: true,
	chunkNames: 'chunks/[name]-[hash]',
	// Bundled CommonJS dependencies call require(); ESM output needs one made for it.
	banner: {js: "#!/usr/bin/env node\nimport {createRequire as __globobotCreateRequire} from 'node:module';\nconst require = __globobotCreateRequire(import.meta.url);"},
	logLevel: 'warning',
});
await chmod('dist/cli.js', 0o755);
