// A SQLite file CRM through better-sqlite3, opened read-only (and query_only,
// so even a function cannot write). Integers arrive as BigInt and text as
// text; a REAL column is a float already, so keep amounts as TEXT or CAST.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {ConfigError} from '../../configError.js';
import {AccountSourceError} from '../lookup.js';
import {describeCrmUrl} from './describe.js';
import type {CrmSettings} from './settings.js';
import {openSqlSource, type SqlDriver} from './sql.js';
import {firstLine, type AccountSource, type AccountSourceOptions} from './source.js';

export function classifySqliteError(error: unknown, description: string): AccountSourceError {
	const code = String((error as {code?: unknown} | undefined)?.code ?? '');
	const message = `${description}: ${firstLine(error)}`;
	if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new AccountSourceError('timeout', message, {cause: error});
	if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
		return new AccountSourceError('unavailable', message, {cause: error});
	}
	return new AccountSourceError('invalid-data', message, {cause: error});
}

export async function openSqliteSource(settings: CrmSettings & {crmUrl: string; crmQuery: string}, options: AccountSourceOptions): Promise<AccountSource> {
	const description = describeCrmUrl(settings.crmUrl);
	let database: BetterSqlite3.Database;
	try {
		database = new BetterSqlite3(path.resolve(settings.crmUrl), {readonly: true, fileMustExist: true, timeout: settings.crmTimeoutMs});
	} catch (error) {
		throw new ConfigError(`CRM_URL names a SQLite file that cannot be opened: ${firstLine(error)}`);
	}
	let statement: BetterSqlite3.Statement<[string], Record<string, unknown>>;
	try {
		database.pragma('query_only = ON');
		statement = database.prepare<[string], Record<string, unknown>>(settings.crmQuery);
		if (!statement.reader) throw new Error('it returns no rows');
		statement.safeIntegers(true);
	} catch (error) {
		database.close();
		throw new ConfigError(`CRM_QUERY fails on ${description}: ${firstLine(error)}`);
	}
	const columns = statement.columns().map(column => column.name);
	const driver: SqlDriver = {
		description,
		timeoutMs: settings.crmTimeoutMs,
		async run(id) {
			return {columns, rows: statement.all(id)};
		},
		classify: error => classifySqliteError(error, description),
		async close() {
			if (database.open) database.close();
		},
	};
	return openSqlSource(driver, options);
}
