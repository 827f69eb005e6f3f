// CRM_URL → the live account source, or undefined when none is configured, so
// the caller answers from the embedded store in DATABASE_URL as before. Each
// driver is loaded only when it is the one configured.
import {ConfigError} from '../../configError.js';
import {crmKind} from './describe.js';
import type {CrmSettings} from './settings.js';
import type {AccountSource, AccountSourceOptions} from './source.js';

export type {AccountSource, AccountSourceOptions, LookupObserver, LookupOutcome} from './source.js';

/**
 * Opens the CRM named by CRM_URL. A SQL source runs CRM_QUERY once to check
 * its columns: a query that fails or lacks due/paid throws ConfigError, an
 * unreachable CRM AccountSourceError. Print the source's warnings.
 */
export async function openAccountSource(settings: CrmSettings, options: AccountSourceOptions = {}): Promise<AccountSource | undefined> {
	const {crmUrl, crmQuery} = settings;
	if (crmUrl === undefined) return undefined;
	const kind = crmKind(crmUrl);
	if (kind === 'http') return (await import('./http.js')).openHttpSource({...settings, crmUrl}, options);
	// loadConfig refuses these already; a settings object built by hand gets the same answer.
	if (kind === undefined) throw new ConfigError(`CRM_URL has an unknown scheme "${crmUrl.split(':')[0]}:"`);
	if (crmQuery === undefined) throw new ConfigError('CRM_QUERY is required for a SQL CRM');
	const sql = {...settings, crmUrl, crmQuery};
	if (kind === 'postgres') return (await import('./postgres.js')).openPostgresSource(sql, options);
	if (kind === 'mysql') return (await import('./mysql.js')).openMysqlSource(sql, options);
	return (await import('./sqlite.js')).openSqliteSource(sql, options);
}
