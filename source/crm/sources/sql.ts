// What the SQL sources share: the column probe at open, row → Account with
// exact amounts, and one row per account. Each driver file only connects,
// runs the query with one id, and classifies its own errors.
import {ConfigError} from '../../configError.js';
import {AccountSourceError} from '../lookup.js';
import {AmountError, normaliseCurrency, parseAmount} from '../money.js';
import type {Account} from '../types.js';
import {amountReason, firstLine, lookupEach, withDeadline, type AccountSource, type AccountSourceOptions} from './source.js';

export interface SqlResult {
	/** The result's column names, as the driver reports them (present even with no rows). */
	columns: readonly string[];
	rows: ReadonlyArray<Record<string, unknown>>;
}

export interface SqlDriver {
	description: string;
	timeoutMs: number;
	/** CRM_QUERY with the account id as its one parameter. */
	run(id: string): Promise<SqlResult>;
	/** 'invalid-data' for the query's or the data's fault, 'unavailable' or 'timeout' for the CRM's state. */
	classify(error: unknown): AccountSourceError;
	close(): Promise<void>;
}

// An id no CRM is likely to hold, that still casts to a number for a CRM keyed by integers.
const probeId = '0';

const wanted = ['due', 'paid'] as const;

/** Why a result's columns cannot be read as accounts, or undefined. */
function columnsProblem(columns: readonly string[]): string | undefined {
	const present = new Set(columns.map(column => column.toLowerCase()));
	const missing = wanted.filter(column => !present.has(column));
	return missing.length === 0 ? undefined : `CRM_QUERY must return the columns due and paid (missing ${missing.join(' and ')}); name them with AS`;
}

/** Runs CRM_QUERY once to learn its columns; a query that fails or lacks due/paid is a ConfigError, an unreachable CRM an AccountSourceError. */
async function probe(driver: SqlDriver): Promise<void> {
	let result: SqlResult;
	try {
		result = await withDeadline(driver.run(probeId), driver.timeoutMs, driver.description);
	} catch (error) {
		const failure = error instanceof AccountSourceError ? error : driver.classify(error);
		if (failure.code === 'invalid-data') throw new ConfigError(`CRM_QUERY fails on ${driver.description}: ${firstLine(error)}`);
		throw failure;
	}
	const problem = columnsProblem(result.columns);
	if (problem) throw new ConfigError(problem);
}

/** The row's value under a column name, whatever case the driver kept. */
function column(row: Record<string, unknown>, name: string): unknown {
	for (const [key, value] of Object.entries(row)) if (key.toLowerCase() === name) return value;
	return undefined;
}

function amount(value: unknown, name: string, id: string, currency: string, description: string): number {
	const text = typeof value === 'bigint' ? value.toString() : value;
	try {
		if (typeof text !== 'string' && typeof text !== 'number') throw new AmountError(text === null || text === undefined ? 'empty' : 'not a number');
		return parseAmount(text, currency);
	} catch (error) {
		throw new AccountSourceError('invalid-data', `${description}: ${name} of ${id} is ${amountReason(error)}`);
	}
}

/** One CRM row → an Account; anything that is not an exact amount or a known currency is 'invalid-data'. */
export function rowToAccount(id: string, row: Record<string, unknown>, description: string): Account {
	const rawCurrency = column(row, 'currency');
	let currency = 'USD';
	if (rawCurrency !== null && rawCurrency !== undefined && String(rawCurrency).trim() !== '') {
		try {
			currency = normaliseCurrency(String(rawCurrency));
		} catch {
			throw new AccountSourceError('invalid-data', `${description}: currency of ${id} is not an ISO 4217 code`);
		}
	}
	const rawSegment = column(row, 'segment');
	const segment = rawSegment === null || rawSegment === undefined ? undefined : String(rawSegment).trim() || undefined;
	return {
		id,
		due: amount(column(row, 'due'), 'due', id, currency, description),
		paid: amount(column(row, 'paid'), 'paid', id, currency, description),
		currency,
		// A live read: the figure is as of now, not of the CRM's last change (which it does not tell).
		updatedAt: new Date().toISOString(),
		...(segment === undefined ? {} : {segment}),
	};
}

export async function openSqlSource(driver: SqlDriver, options: AccountSourceOptions): Promise<AccountSource> {
	const warnings: string[] = [];
	let checked = false;
	try {
		await probe(driver);
		checked = true;
	} catch (error) {
		if (!(options.openWhileUnreachable && error instanceof AccountSourceError)) {
			await driver.close().catch(() => undefined);
			throw error;
		}
		warnings.push(`the CRM is not reachable yet (${error.message}); CRM_QUERY's columns are checked on the first lookup`);
	}
	const lookupOne = async (id: string): Promise<Account | undefined> => {
		const {rows, columns} = await driver.run(id);
		if (!checked) {
			// Opened while unreachable: the first answer's own columns stand in for the probe.
			const problem = columnsProblem(columns);
			if (problem) throw new AccountSourceError('invalid-data', `${driver.description}: ${problem}`);
			checked = true;
		}
		if (rows.length > 1) throw new AccountSourceError('invalid-data', `${driver.description}: CRM_QUERY returned ${rows.length} rows for ${id}`);
		return rows[0] === undefined ? undefined : rowToAccount(id, rows[0], driver.description);
	};
	let closed = false;
	return {
		description: driver.description,
		warnings,
		async getMany(ids) {
			return lookupEach(ids, lookupOne, {description: driver.description, timeoutMs: driver.timeoutMs, onLookup: options.onLookup, classify: error => driver.classify(error)});
		},
		async ping() {
			try {
				await withDeadline(driver.run(probeId), driver.timeoutMs, driver.description);
			} catch (error) {
				throw error instanceof AccountSourceError ? error : driver.classify(error);
			}
		},
		async close() {
			if (closed) return;
			closed = true;
			await driver.close();
		},
	};
}
