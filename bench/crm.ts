// The CRM store at scale, on both backends: the time to import 1,000,000
// generated accounts (and to re-import them unchanged), then single-id lookup
// latency over 100,000 random lookups through AccountStore.get.
// BENCH_CRM_ACCOUNTS / BENCH_CRM_LOOKUPS shrink it for a quick try.
import {randomBytes} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {openDatabase} from '../source/crm/database.js';
import type {AccountInput, Database} from '../source/crm/types.js';
import type {BenchRow} from './index.js';

export const description = 'CRM store: import of generated accounts and single-id lookups (AccountStore.get), SQLite and PostgreSQL';

const accountCount = Number(process.env['BENCH_CRM_ACCOUNTS'] ?? 1_000_000);
const lookupCount = Number(process.env['BENCH_CRM_LOOKUPS'] ?? 100_000);
const postgresServerUrl = process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const accountId = (index: number) => `ACCT${String(index).padStart(7, '0')}`;

function generatedAccounts(count: number): AccountInput[] {
	return Array.from({length: count}, (_, index) => ({
		id: accountId(index),
		due: Math.floor(Math.random() * 10_000_000),
		paid: Math.floor(Math.random() * 10_000_000),
		currency: 'USD',
	}));
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

function percentile(sorted: Float64Array, fraction: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

async function measure(backend: string, database: Database, accounts: readonly AccountInput[]): Promise<BenchRow> {
	let start = process.hrtime.bigint();
	const imported = await database.accounts.upsertMany(accounts);
	const importSeconds = seconds(start);
	start = process.hrtime.bigint();
	const again = await database.accounts.upsertMany(accounts);
	const reimportSeconds = seconds(start);
	if (imported.added !== accounts.length || again.unchanged !== accounts.length) throw new Error(`${backend}: unexpected import counts`);

	const micros = new Float64Array(lookupCount);
	let misses = 0;
	for (let index = 0; index < lookupCount; index++) {
		// Lower-case ids: the lookup normalises, as it does for a chat message.
		const id = accountId(Math.floor(Math.random() * accounts.length)).toLowerCase();
		const begin = process.hrtime.bigint();
		const account = await database.accounts.get(id);
		micros[index] = Number(process.hrtime.bigint() - begin) / 1000;
		if (!account) misses++;
	}
	if (misses > 0) throw new Error(`${backend}: ${misses} lookups missed`);
	micros.sort();
	const round = (value: number, digits: number) => Number(value.toFixed(digits));
	return {
		backend,
		accounts: accounts.length,
		'import s': round(importSeconds, 2),
		'accounts/s': Math.round(accounts.length / importSeconds),
		're-import s': round(reimportSeconds, 2),
		lookups: lookupCount,
		'lookup p50 µs': round(percentile(micros, 0.5), 1),
		'lookup p99 µs': round(percentile(micros, 0.99), 1),
		'lookup max µs': round(micros[micros.length - 1]!, 1),
	};
}

async function sqliteRow(accounts: readonly AccountInput[]): Promise<BenchRow> {
	const folder = await mkdtemp(path.join(tmpdir(), 'globobot-bench-'));
	const database = await openDatabase(path.join(folder, 'crm.db'));
	try {
		return await measure('sqlite', database, accounts);
	} finally {
		await database.close();
		await rm(folder, {recursive: true, force: true});
	}
}

async function postgresRow(accounts: readonly AccountInput[]): Promise<BenchRow> {
	const schema = `globobot_bench_${randomBytes(4).toString('hex')}`;
	let database: Database;
	try {
		database = await openDatabase(postgresServerUrl, {schema});
	} catch (error) {
		return {backend: 'postgres', accounts: `skipped: ${error instanceof Error ? error.message : String(error)}`};
	}
	try {
		return await measure('postgres', database, accounts);
	} finally {
		if (database.backend === 'postgres') await database.store.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
		await database.close();
	}
}

export async function run(): Promise<BenchRow[]> {
	const accounts = generatedAccounts(accountCount);
	return [await sqliteRow(accounts), await postgresRow(accounts)];
}
