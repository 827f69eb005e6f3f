// A MySQL or MariaDB CRM through mysql2: server-side prepared statements, a
// read-only session on every pooled connection, and DECIMAL and BIGINT as
// strings (decimalNumbers off, bigNumberStrings on), so no amount is a float.
import mysql from 'mysql2/promise';
import {AccountSourceError} from '../lookup.js';
import {describeCrmUrl} from './describe.js';
import type {CrmSettings} from './settings.js';
import {openSqlSource, type SqlDriver} from './sql.js';
import {firstLine, type AccountSource, type AccountSourceOptions} from './source.js';

const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'PROTOCOL_CONNECTION_LOST', 'ER_ACCESS_DENIED_ERROR', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_BAD_DB_ERROR']);
const timeoutCodes = new Set(['ETIMEDOUT', 'PROTOCOL_SEQUENCE_TIMEOUT']);

/** SQLSTATE classes 42 (syntax, names), 22 (data), 25 (read-only) and 21 are the query's fault; connection codes the CRM's state. */
export function classifyMysqlError(error: unknown, description: string): AccountSourceError {
	const {code, sqlState} = (error ?? {}) as {code?: unknown; sqlState?: unknown};
	const message = `${description}: ${firstLine(error)}`;
	if (typeof code === 'string' && timeoutCodes.has(code)) return new AccountSourceError('timeout', message, {cause: error});
	if (typeof code === 'string' && unavailableCodes.has(code)) return new AccountSourceError('unavailable', message, {cause: error});
	if (typeof sqlState === 'string' && /^(?:42|22|25|21|0A)/.test(sqlState)) return new AccountSourceError('invalid-data', message, {cause: error});
	if (/timeout/i.test(firstLine(error))) return new AccountSourceError('timeout', message, {cause: error});
	return new AccountSourceError('unavailable', message, {cause: error});
}

export async function openMysqlSource(settings: CrmSettings & {crmUrl: string; crmQuery: string}, options: AccountSourceOptions): Promise<AccountSource> {
	const description = describeCrmUrl(settings.crmUrl);
	const timeoutMs = settings.crmTimeoutMs;
	const url = new URL(settings.crmUrl);
	const pool = mysql.createPool({
		host: url.hostname || 'localhost',
		port: Number(url.port || 3306),
		user: decodeURIComponent(url.username) || undefined,
		password: decodeURIComponent(url.password) || undefined,
		database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
		connectionLimit: settings.crmPool,
		maxIdle: settings.crmPool,
		idleTimeout: 30_000,
		connectTimeout: timeoutMs,
		decimalNumbers: false,
		supportBigNumbers: true,
		bigNumberStrings: true,
		dateStrings: true,
		enableKeepAlive: true,
	});
	// Queued before any query on the connection, and the protocol runs commands in order. A connection
	// that cannot be made read-only is dropped, so its queries fail instead of running read-write.
	pool.pool.on('connection', connection => {
		connection.query('SET SESSION TRANSACTION READ ONLY', error => {
			if (error) connection.destroy();
		});
	});
	const driver: SqlDriver = {
		description,
		timeoutMs,
		async run(id) {
			const [rows, fields] = await pool.execute<mysql.RowDataPacket[]>({sql: settings.crmQuery, values: [id], timeout: timeoutMs});
			return {columns: fields.map(field => field.name), rows};
		},
		classify: error => classifyMysqlError(error, description),
		async close() {
			await pool.end();
		},
	};
	return openSqlSource(driver, options);
}
