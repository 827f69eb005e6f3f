// Live CRMs for the end-to-end suites: a schema that is not globobot's, on the
// real PostgreSQL and MariaDB servers, with the bank's own table and column
// names, read through CRM_QUERY. `via` points CRM_URL at another port (a TCP
// proxy in front of the server) for outages on demand.
import {randomBytes} from 'node:crypto';
import type {ExecutionContext} from 'ava';
import pg from 'pg';
import {postgresAvailable, postgresServerUrl} from '../../helpers/databases.js';
import {mysqlAvailable, mysqlDatabase, mysqlRun, mysqlServerUrl} from '../../crm/sources/mariadb.js';

type Context = Pick<ExecutionContext, 'teardown'>;

export interface CrmRow {
	id: string;
	due: string;
	paid: string;
	currency?: string;
	segment?: string;
}

export interface LiveCrm {
	/** CRM_URL and CRM_QUERY for a listener; `port` replaces the server's (a proxy in front of it). */
	env(port?: number): {CRM_URL: string; CRM_QUERY: string};
	/** The server's own host and port, for a proxy to forward to. */
	readonly server: {host: string; port: number};
	/** An UPDATE in the CRM, as the bank's own systems would make it. */
	setPaid(id: string, paid: string): Promise<void>;
	setSegment(id: string, segment: string | null): Promise<void>;
}

export interface CrmKind {
	name: 'postgres' | 'mariadb';
	available: boolean;
	create(t: Context, rows: readonly CrmRow[]): Promise<LiveCrm>;
}

const literal = (value: string | undefined) => (value === undefined ? 'NULL' : `'${value.replace(/'/g, "''")}'`);
const values = (rows: readonly CrmRow[]) => rows.map(row => `(${literal(row.id)}, ${row.due}, ${row.paid}, ${literal(row.currency)}, ${literal(row.segment)})`).join(', ');

async function pgAdmin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({connectionString: postgresServerUrl});
	await client.connect();
	try {
		return await use(client);
	} finally {
		await client.end();
	}
}

const withPort = (url: string, port: number | undefined) => {
	const parsed = new URL(url);
	if (port !== undefined) parsed.port = String(port);
	return parsed.toString();
};

export const postgresCrm: CrmKind = {
	name: 'postgres',
	available: postgresAvailable,
	async create(t, rows) {
		const schema = `ledger_${process.pid}_${randomBytes(4).toString('hex')}`;
		await pgAdmin(async client => {
			await client.query(`CREATE SCHEMA ${schema}`);
			await client.query(`CREATE TABLE ${schema}.customer_balances (account_ref text PRIMARY KEY, amount_owed numeric(18,2) NOT NULL, amount_settled numeric(18,2) NOT NULL, ccy char(3), tier text)`);
			await client.query(`INSERT INTO ${schema}.customer_balances VALUES ${values(rows)}`);
		});
		t.teardown(async () => pgAdmin(async client => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)));
		const query = `SELECT amount_owed AS due, amount_settled AS paid, ccy AS currency, tier AS segment FROM ${schema}.customer_balances WHERE account_ref = $1`;
		const server = new URL(postgresServerUrl);
		return {
			env: port => ({CRM_URL: withPort(postgresServerUrl, port), CRM_QUERY: query}),
			server: {host: server.hostname, port: Number(server.port || 5432)},
			async setPaid(id, paid) {
				await pgAdmin(async client => client.query(`UPDATE ${schema}.customer_balances SET amount_settled = $2 WHERE account_ref = $1`, [id, paid]));
			},
			async setSegment(id, segment) {
				await pgAdmin(async client => client.query(`UPDATE ${schema}.customer_balances SET tier = $2 WHERE account_ref = $1`, [id, segment]));
			},
		};
	},
};

export const mariadbCrm: CrmKind = {
	name: 'mariadb',
	available: mysqlAvailable,
	async create(t, rows) {
		const database = await mysqlDatabase(t, 'mariadb');
		await mysqlRun(
			database.name,
			`CREATE TABLE cust_acct (acct_code VARCHAR(64) PRIMARY KEY, balance_owed DECIMAL(18,2) NOT NULL, balance_settled DECIMAL(18,2) NOT NULL, iso_ccy CHAR(3), band VARCHAR(40));
			 INSERT INTO cust_acct VALUES ${values(rows)};`,
		);
		const query = 'SELECT c.balance_owed AS due, c.balance_settled AS paid, c.iso_ccy AS currency, c.band AS segment FROM cust_acct c WHERE c.acct_code = ?';
		const server = new URL(mysqlServerUrl);
		return {
			env: port => ({CRM_URL: withPort(database.url, port), CRM_QUERY: query}),
			server: {host: server.hostname, port: Number(server.port || 3306)},
			async setPaid(id, paid) {
				await mysqlRun(database.name, `UPDATE cust_acct SET balance_settled = ${paid} WHERE acct_code = ${literal(id)}`);
			},
			async setSegment(id, segment) {
				await mysqlRun(database.name, `UPDATE cust_acct SET band = ${segment === null ? 'NULL' : literal(segment)} WHERE acct_code = ${literal(id)}`);
			},
		};
	},
};

export const crmKinds: readonly CrmKind[] = [postgresCrm, mariadbCrm];
