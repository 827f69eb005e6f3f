// The listener store's SQL seam is the project's one adapter (source/sql/),
// shared with the embedded account store; re-exported here so server/ code
// reads it from its own store folder.
export type {Dialect, SqlExecutor, SqlStore, SqlValue} from '../../source/sql/types.js';
export {openSqlStore, sqlStoreOf} from './open.js';
