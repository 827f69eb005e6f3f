// The MariaDB server the MySQL-source suite uses, and a private database per
// test (dropped at teardown). TEST_MYSQL_URL overrides the server.
import {randomBytes} from 'node:crypto';
import type {ExecutionContext} from 'ava';
import mysql from 'mysql2/promise';

export const mysqlServerUrl = process.env['TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';

async function admin<T>(use: (connection: mysql.Connection) => Promise<T>): Promise<T> {
	const url = new URL(mysqlServerUrl);
	const connection = await mysql.createConnection({host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), connectTimeout: 3000, multipleStatements: true});
	try {
		return await use(connection);
	} finally {
		await connection.end();
	}
}

async function reachable(): Promise<string | undefined> {
	try {
		await admin(async connection => connection.query('SELECT 1'));
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

const unreachable = await reachable();
if (unreachable !== undefined) {
	if (process.env['CI']) throw new Error(`MariaDB at ${new URL(mysqlServerUrl).host} is unreachable (${unreachable}); CI requires it`);
	console.warn(`MariaDB at ${new URL(mysqlServerUrl).host} is unreachable (${unreachable}): skipping the MySQL/MariaDB tests (in CI this fails).`);
}

export const mysqlAvailable = unreachable === undefined;

/** Runs SQL (several statements allowed) in the database. */
export async function mysqlRun(database: string, sql: string): Promise<unknown> {
	return admin(async connection => {
		await connection.query(`USE \`${database}\``);
		const [result] = await connection.query(sql);
		return result;
	});
}

/** A fresh database `crm_…` and a mysql:// (or mariadb://) URL for it. */
export async function mysqlDatabase(t: Pick<ExecutionContext, 'teardown'>, scheme: 'mysql' | 'mariadb' = 'mysql'): Promise<{name: string; url: string}> {
	const name = `crm_${process.pid}_${randomBytes(4).toString('hex')}`;
	await admin(async connection => connection.query(`CREATE DATABASE \`${name}\``));
	t.teardown(async () => admin(async connection => connection.query(`DROP DATABASE IF EXISTS \`${name}\``)));
	const url = new URL(mysqlServerUrl);
	url.pathname = `/${name}`;
	return {name, url: url.toString().replace(/^mysql:/, `${scheme}:`)};
}
