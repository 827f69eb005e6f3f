// A PostgreSQL CRM through pg. Every session is read-only from its first
// statement (a startup option, so pooled connections made later are too), the
// server cancels a query past the timeout, and every value arrives as the text
// PostgreSQL sent, so NUMERIC is never squeezed through a float.
import pg from 'pg';
import {AccountSourceError} from '../lookup.js';
import {describeCrmUrl} from './describe.js';
import type {CrmSettings} from './settings.js';
import {openSqlSource, type SqlDriver} from './sql.js';
import {firstLine, type AccountSource, type AccountSourceOptions} from './source.js';

const asText = {getTypeParser: () => (value: string) => value} as unknown as pg.CustomTypesConfig;

const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/** SQLSTATE classes: 08 connection, 53 resources, 57 operator intervention (57014 is a cancelled query: our timeout). */
export function classifyPostgresError(error: unknown, description: string): AccountSourceError {
	const code = (error as {code?: unknown} | undefined)?.code;
	const message = `${description}: ${firstLine(error)}`;
	const text = typeof code === 'string' ? code : '';
	if (text === '57014' || text === 'ETIMEDOUT' || /timeout/i.test(firstLine(error))) return new AccountSourceError('timeout', message, {cause: error});
	if (unavailableCodes.has(text) || /^(?:08|53|57|28|3D)/.test(text) || /terminated|not queryable|closed/i.test(firstLine(error))) {
		return new AccountSourceError('unavailable', message, {cause: error});
	}
	if (/^[0-9A-Z]{5}$/.test(text)) return new AccountSourceError('invalid-data', message, {cause: error});
	return new AccountSourceError('unavailable', message, {cause: error});
}

export async function openPostgresSource(settings: CrmSettings & {crmUrl: string; crmQuery: string}, options: AccountSourceOptions): Promise<AccountSource> {
	const description = describeCrmUrl(settings.crmUrl);
	const timeoutMs = settings.crmTimeoutMs;
	// pg lets the URL's own parameters override the config, so its ?options= is taken out and put before ours:
	// with a setting given twice the last wins, and read-only must.
	const url = new URL(settings.crmUrl);
	const urlOptions = url.searchParams.get('options');
	url.searchParams.delete('options');
	const pool = new pg.Pool({
		connectionString: url.toString(),
		max: settings.crmPool,
		connectionTimeoutMillis: timeoutMs,
		query_timeout: timeoutMs,
		options: [urlOptions, `-c default_transaction_read_only=on -c statement_timeout=${timeoutMs}`].filter(Boolean).join(' '),
		types: asText,
		idleTimeoutMillis: 30_000,
		allowExitOnIdle: true,
	});
	// A pooled client losing the CRM must not crash the process; the next lookup reports it.
	pool.on('error', () => undefined);
	const driver: SqlDriver = {
		description,
		timeoutMs,
		async run(id) {
			const result = await pool.query<Record<string, unknown>>({text: settings.crmQuery, values: [id]});
			return {columns: result.fields.map(field => field.name), rows: result.rows};
		},
		classify: error => classifyPostgresError(error, description),
		async close() {
			await pool.end();
		},
	};
	return openSqlSource(driver, options);
}
