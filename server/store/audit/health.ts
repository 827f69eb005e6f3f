// doctor's "audit chain" check: the chain verifies. Shaped like doctor's
// Check, so the command adds it as one more line.
import type {SqlExecutor} from '../../../source/sql/types.js';
import {verifyAudit} from './verify.js';

export interface AuditCheck {
	name: 'audit chain';
	ok: boolean;
	detail: string;
	fix?: string;
}

export async function auditCheck(db: SqlExecutor): Promise<AuditCheck> {
	if (!(await auditTableExists(db))) return {name: 'audit chain', ok: true, detail: 'no audit trail yet (the listener creates it)'};
	const result = await verifyAudit(db);
	if (result.ok) return {name: 'audit chain', ok: true, detail: `verifies: ${result.entries} entries, head entry ${result.head.seq} ${result.head.hash.slice(0, 12)}…`};
	return {
		name: 'audit chain',
		ok: false,
		detail: `broken at entry ${result.seq}: ${result.problem} (${result.detail})`,
		fix: 'run `globobot-admin audit verify`, and find out who wrote to audit_entries; entries before it still verify',
	};
}

/** Whether the audit table exists yet (read-only commands do not create it). */
export async function auditTableExists(db: SqlExecutor): Promise<boolean> {
	const found =
		db.dialect === 'postgres'
			? await db.get<{found: string | null}>("SELECT to_regclass('audit_entries')::text AS found")
			: await db.get<{found: string}>("SELECT name AS found FROM sqlite_master WHERE type = 'table' AND name = 'audit_entries'");
	return Boolean(found?.found);
}
