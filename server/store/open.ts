// Opens the listener store on DATABASE_URL: the same SQLite file or PostgreSQL
// schema as the embedded accounts, through the one SQL seam.
import {openDatabase, type OpenDatabaseOptions} from '../../source/crm/database.js';
import type {Database} from '../../source/crm/types.js';
import type {SqlStore} from '../../source/sql/types.js';

/** The SQL seam over an open database; closing the store closes nothing (the database's owner does). */
export function sqlStoreOf(database: Database): SqlStore {
	return database.store;
}

/** Opens (and migrates the accounts of) the database at `url`; closing the store closes it. */
export async function openSqlStore(url: string, options: OpenDatabaseOptions = {}): Promise<SqlStore & {database: Database}> {
	const database = await openDatabase(url, options);
	const store: SqlStore = {...database.store, transaction: work => database.store.transaction(work), close: () => database.close()};
	return Object.assign(store, {database});
}
