// The CRM_* settings, read from the environment by config.ts and checked as
// far as they can be without connecting: the scheme, the query, the JSON
// pointers, the durations. What needs the CRM itself (does the query return
// due and paid?) is checked when the source opens.
import {durationMs} from '../../timeSpec.js';
import {ConfigError} from '../../configError.js';
import {crmKind, describeCrmUrl} from './describe.js';
import {FieldsError, defaultCrmFields, parseCrmFields, type CrmFields} from './fields.js';
import {selectQueryProblem} from './selectQuery.js';

export interface CrmSettings {
	/** Where balances come from; undefined: the embedded store in DATABASE_URL. */
	crmUrl?: string;
	/** A SQL CRM's SELECT, taking the account id. */
	crmQuery?: string;
	/** An HTTP CRM's JSON pointers. */
	crmFields: CrmFields;
	/** An HTTP CRM's bearer token. */
	crmToken?: string;
	/** One lookup's limit. */
	crmTimeoutMs: number;
	/** How long a question waits for an unavailable CRM before the no-figure apology. */
	crmMaxWaitMs: number;
	/** Connections (or HTTP sockets) open to the CRM at most. */
	crmPool: number;
}

type Env = Record<string, string | undefined>;

/** `500ms`, `2s`, `1.5m`, `1h` → milliseconds; a bare number is refused, since seconds and milliseconds are both plausible. */
export function parseDuration(name: string, text: string, limits: {min: number; max: number}): number {
	const milliseconds = durationMs(text, {decimals: true});
	if (milliseconds === undefined) throw new ConfigError(`${name} must be a duration like 500ms, 2s or 2m`);
	if (milliseconds < limits.min || milliseconds > limits.max) throw new ConfigError(`${name} must be between ${limits.min}ms and ${limits.max / 1000}s`);
	return milliseconds;
}

const loopbackHosts = new Set(['localhost', '[::1]', '::1']);

/** 127.0.0.0/8, ::1 and localhost: the only hosts an unencrypted CRM may be on. */
export const isLoopbackHost = (hostname: string) => loopbackHosts.has(hostname.toLowerCase()) || /^127(?:\.\d{1,3}){3}$/.test(hostname);

function checkHttpUrl(url: string): void {
	if (!url.includes('{id}')) throw new ConfigError('CRM_URL for an HTTP CRM must contain {id}, e.g. https://crm.example/api/accounts/{id}');
	let parsed: URL;
	try {
		parsed = new URL(url.replaceAll('{id}', 'id'));
	} catch {
		throw new ConfigError('CRM_URL is not a valid http(s) URL');
	}
	if (parsed.username || parsed.password) throw new ConfigError('CRM_URL for an HTTP CRM must not contain credentials; use CRM_TOKEN');
	if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) throw new ConfigError('CRM_URL must use https:// (http:// is allowed only for a loopback host)');
}

function checkDatabaseUrl(url: string): void {
	try {
		new URL(url);
	} catch {
		throw new ConfigError('CRM_URL is not a valid database URL');
	}
}

/** The CRM_* settings; throws ConfigError with a one-line reason that names the setting. */
export function readCrmSettings(env: Env): CrmSettings {
	const read = (name: string) => env[name]?.trim() || undefined;
	const crmUrl = read('CRM_URL');
	const crmQuery = read('CRM_QUERY');
	const fieldsText = read('CRM_FIELDS');
	const crmToken = read('CRM_TOKEN');
	const crmTimeoutMs = parseDuration('CRM_TIMEOUT', read('CRM_TIMEOUT') ?? '2s', {min: 10, max: 300_000});
	const crmMaxWaitMs = parseDuration('CRM_MAX_WAIT', read('CRM_MAX_WAIT') ?? '2m', {min: 0, max: 86_400_000});
	const poolText = read('CRM_POOL') ?? '4';
	if (!/^\d+$/.test(poolText) || Number(poolText) < 1 || Number(poolText) > 64) throw new ConfigError('CRM_POOL must be a whole number from 1 to 64');

	let crmFields = defaultCrmFields;
	try {
		if (fieldsText !== undefined) crmFields = parseCrmFields(fieldsText);
	} catch (error) {
		if (error instanceof FieldsError) throw new ConfigError(error.message);
		throw error;
	}

	const settings: CrmSettings = {crmUrl, crmQuery, crmFields, crmToken, crmTimeoutMs, crmMaxWaitMs, crmPool: Number(poolText)};
	if (crmUrl === undefined) {
		const stray = [['CRM_QUERY', crmQuery], ['CRM_FIELDS', fieldsText], ['CRM_TOKEN', crmToken]].find(([, value]) => value !== undefined);
		if (stray) throw new ConfigError(`${stray[0]} is set but CRM_URL is not`);
		return settings;
	}
	const kind = crmKind(crmUrl);
	if (kind === undefined) {
		throw new ConfigError(`CRM_URL has an unknown scheme "${crmUrl.split(':')[0]}:"; use postgres://, mysql://, mariadb://, https:// or a SQLite file path`);
	}
	if (kind === 'http') {
		checkHttpUrl(crmUrl);
		if (crmQuery !== undefined) throw new ConfigError('CRM_QUERY is for a SQL CRM; an HTTP CRM is read through CRM_FIELDS');
		return settings;
	}
	if (kind !== 'sqlite') checkDatabaseUrl(crmUrl);
	if (fieldsText !== undefined) throw new ConfigError('CRM_FIELDS is for an HTTP CRM; a SQL CRM is read through CRM_QUERY');
	if (crmToken !== undefined) throw new ConfigError('CRM_TOKEN is for an HTTP CRM; put a SQL CRM\'s user in CRM_URL');
	if (crmQuery === undefined) throw new ConfigError(`CRM_QUERY is required for a SQL CRM: a SELECT returning due and paid for the account id ${kind === 'postgres' ? '$1' : '?'}`);
	const problem = selectQueryProblem(crmQuery, kind === 'postgres' ? 'dollar' : 'question');
	if (problem) throw new ConfigError(problem);
	return settings;
}

/** The CRM settings safe to print: the URL without its password, the token as whether it is set. */
export function describeCrmSettings(settings: Pick<CrmSettings, 'crmUrl' | 'crmToken'>): {crmUrl?: string; crmToken: string} {
	return {crmUrl: settings.crmUrl === undefined ? undefined : describeCrmUrl(settings.crmUrl), crmToken: settings.crmToken ? '(set)' : '(not set)'};
}
