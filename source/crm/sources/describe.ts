// CRM_URL as people may see it (TUI header, doctor, errors): the kind of
// source and where it is, never a password, a token or a query string. Free of
// the drivers, so the TUI header can name the source before its first frame.
import path from 'node:path';

export type CrmKind = 'postgres' | 'mysql' | 'sqlite' | 'http';

const schemes: Record<string, CrmKind> = {
	'postgres:': 'postgres',
	'postgresql:': 'postgres',
	'mysql:': 'mysql',
	'mariadb:': 'mysql',
	'http:': 'http',
	'https:': 'http',
};

/** The source a CRM_URL names; undefined for a scheme globobot does not know. A path without a scheme is a SQLite file. */
export function crmKind(url: string): CrmKind | undefined {
	const scheme = /^([a-z][a-z\d+.-]*:)\/\//i.exec(url)?.[1]?.toLowerCase();
	if (scheme === undefined) return /^[a-z][a-z\d+.-]*:[^\\]/i.test(url) && !/^[a-z]:[\\/]/i.test(url) ? undefined : 'sqlite';
	return schemes[scheme];
}

/** "postgres db.example:5432/crm (CRM_QUERY)", "sqlite /srv/crm.db (CRM_QUERY)", "http https://crm.example/api/accounts/{id}"; never throws. */
export function describeCrmUrl(url: string): string {
	const kind = crmKind(url);
	if (kind === 'sqlite') return `sqlite ${path.resolve(url)} (CRM_QUERY)`;
	let parsed: URL;
	try {
		parsed = new URL(url.replaceAll('{id}', '__id__'));
	} catch {
		return kind ?? 'unknown CRM';
	}
	if (kind === 'http') {
		const address = `${parsed.protocol}//${parsed.host}${parsed.pathname}`.replaceAll('__id__', '{id}');
		return `http ${address}${parsed.search ? '?…' : ''}`;
	}
	const port = parsed.port || (kind === 'postgres' ? '5432' : '3306');
	const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default)';
	const name = kind === 'mysql' ? parsed.protocol.replace(':', '') : kind;
	return `${name} ${parsed.hostname || 'localhost'}:${port}/${database} (CRM_QUERY)`;
}
