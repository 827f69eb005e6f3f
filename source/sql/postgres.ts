// SqlStore over a pg pool: each transaction takes one pooled client for its
// whole life. bigint/numeric columns come back as text, as pg returns them.
import type pg from 'pg';
import type {SqlExecutor, SqlStore, SqlValue} from './types.js';

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
	return {
		dialect: 'postgres',
		async run(text, parameters = []) {
			return (await client.query(text, parameters as unknown[])).rowCount ?? 0;
		},
		async get<T>(text: string, parameters: readonly SqlValue[] = []) {
			const {rows} = await client.query(text, parameters as unknown[]);
			return rows[0] as T | undefined;
		},
		async all<T>(text: string, parameters: readonly SqlValue[] = []) {
			const {rows} = await client.query(text, parameters as unknown[]);
			return rows as T[];
		},
	};
}

export function postgresSqlStore(pool: pg.Pool, options: {close?: () => Promise<void>} = {}): SqlStore {
	return {
		...executor(pool),
		async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				const result = await work(executor(client));
				await client.query('COMMIT');
				return result;
			} catch (error) {
				await client.query('ROLLBACK').catch(() => undefined);
				throw error;
			} finally {
				client.release();
			}
		},
		// COMMIT returned after PostgreSQL flushed its WAL (synchronous_commit, on by default).
		async durable() {},
		async close() {
			await options.close?.();
		},
	};
}
