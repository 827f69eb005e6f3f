// `npm run bench [name…]`: runs every benchmark module in bench/ (or only the
// ones named), prints each one's table and writes it to bench/results/<name>.json.
// A module is a bench/<name>.ts exporting `description` and `run()`.
import {mkdir, readdir, writeFile} from 'node:fs/promises';
import {cpus, totalmem} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

/** One line of a result table: column → figure. */
export type BenchRow = Record<string, string | number>;

/** A module's result with more than one table: `rows` first, then each extra table under its title, then notes. */
export interface BenchReport {
	rows: BenchRow[];
	tables?: Array<{title: string; rows: BenchRow[]}>;
	notes?: string[];
}

export interface BenchModule {
	/** One line: what is measured. */
	description: string;
	run(): Promise<BenchRow[] | BenchReport>;
}

const benchFolder = path.dirname(fileURLToPath(import.meta.url));
const resultsFolder = path.join(benchFolder, 'results');

async function moduleNames(): Promise<string[]> {
	const files = await readdir(benchFolder);
	return files
		.filter(file => file.endsWith('.ts') && !file.endsWith('.d.ts') && file !== 'index.ts')
		.map(file => file.slice(0, -'.ts'.length))
		// The listener's targets table quotes the CRM and TUI results: it runs after them.
		.sort((a, b) => Number(a === 'listener') - Number(b === 'listener') || a.localeCompare(b));
}

const isBenchModule = (value: unknown): value is BenchModule => typeof (value as Partial<BenchModule>).run === 'function';

function table(rows: readonly BenchRow[]): string {
	const columns = [...new Set(rows.flatMap(row => Object.keys(row)))];
	const cell = (row: BenchRow, column: string) => String(row[column] ?? '');
	const widths = columns.map(column => Math.max(column.length, ...rows.map(row => cell(row, column).length)));
	const line = (cells: string[]) => cells.map((text, index) => text.padStart(widths[index]!)).join('  ');
	return [line(columns), line(widths.map(width => '─'.repeat(width))), ...rows.map(row => line(columns.map(column => cell(row, column))))].join('\n');
}

const machine = () => ({node: process.version, platform: `${process.platform} ${process.arch}`, cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`, memoryGb: Math.round(totalmem() / 2 ** 30)});

async function runOne(name: string): Promise<void> {
	const module: unknown = await import(pathToFileURL(path.join(benchFolder, `${name}.ts`)).href);
	if (!isBenchModule(module)) {
		console.log(`${name}: not a benchmark (no run() export), skipped\n`);
		return;
	}
	console.log(`${name}: ${module.description}`);
	const startedAt = new Date().toISOString();
	const outcome = await module.run();
	const report: BenchReport = Array.isArray(outcome) ? {rows: outcome} : outcome;
	console.log(`${table(report.rows)}\n`);
	for (const extra of report.tables ?? []) console.log(`${extra.title}\n${table(extra.rows)}\n`);
	for (const note of report.notes ?? []) console.log(note);
	if (report.notes?.length) console.log('');
	await mkdir(resultsFolder, {recursive: true});
	const result = {name, description: module.description, startedAt, machine: machine(), ...report};
	await writeFile(path.join(resultsFolder, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

const available = await moduleNames();
const wanted = process.argv.slice(2);
const unknown = wanted.filter(name => !available.includes(name));
if (unknown.length > 0) {
	console.error(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}`);
	process.exitCode = 2;
} else {
	for (const name of wanted.length > 0 ? wanted : available) await runOne(name);
}
