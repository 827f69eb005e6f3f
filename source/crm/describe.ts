// A database URL as people may see it (TUI header, doctor, errors): the backend
// and where it is, never a password. Kept free of the database drivers, so the
// TUI can show it without loading them before its first frame.
import path from 'node:path';

export const isPostgresUrl = (url: string) => /^postgres(?:ql)?:\/\//i.test(url);

/** "postgres host:5432/db schema s" from a parsed postgres:// URL; the schema is named unless it is public. */
export function describePostgres(url: URL, schema: string): string {
	const host = `${url.hostname || 'localhost'}:${url.port || '5432'}`;
	const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default)';
	return `postgres ${host}/${database}${schema === 'public' ? '' : ` schema ${schema}`}`;
}

/** "sqlite /abs/path/crm.db" or "postgres host:5432/db"; never throws. */
export function describeDatabaseUrl(url: string): string {
	if (!isPostgresUrl(url)) return url === ':memory:' ? 'sqlite :memory:' : `sqlite ${path.resolve(url)}`;
	try {
		const parsed = new URL(url);
		return describePostgres(parsed, parsed.searchParams.get('schema') ?? 'public');
	} catch {
		return 'postgres';
	}
}
