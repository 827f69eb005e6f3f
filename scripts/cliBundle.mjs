// How the CLI is bundled, shared by scripts/build.mjs (the shipped dist/) and the
// bench (its unminified profiling build and the unaudited baseline), so that what
// the bench measures is built the way globobot ships.

/** Bundled CommonJS dependencies call require(); ESM output needs one made for it. */
export const requireShim = "import {createRequire as __globobotCreateRequire} from 'node:module';\nconst require = __globobotCreateRequire(import.meta.url);";

/** @type {import('esbuild').BuildOptions} */
export const cliBundle = {
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// Native addons and what only `serve` loads stay in node_modules; everything else (Ink,
	// React, yoga, commander, zod, node-fetch) is bundled, halving the TUI's start-up:
	// reading and linking hundreds of small ESM files is most of Node 20's start-up cost.
	external: ['better-sqlite3', 'pg', 'pino', 'pino-pretty', 'koa', '@koa/router', 'prom-client', 'react-devtools-core'],
	jsx: 'automatic',
	// The shipped CLI uses React's production build (the development one checks every render).
	define: {'process.env.NODE_ENV': '"production"'},
	banner: {js: requireShim},
	logLevel: 'warning',
};
