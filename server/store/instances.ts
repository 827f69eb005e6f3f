// The running listeners, as they describe themselves in listener_instances
// (see migrations/instances.ts). Written by server/heartbeat.ts; read by the
// TUI (attach mode, the health panel) and by anyone who asks "is serve
// running on this database?". A row whose heartbeat is older than a few
// intervals belongs to a listener that died without saying goodbye.
import type {SqlExecutor} from '../../source/sql/types.js';
import type {SourceStatus} from '../sources/source.js';
import type {WatchdogStatus} from '../watchdogWiring.js';

/** What a listener says about itself: ids, URLs, codes and counts. Never a token, a secret or a message. */
export interface InstanceStatus {
	bot: {id: string; displayName: string; email: string};
	sources: SourceStatus[];
	watchdog?: WatchdogStatus;
	/** The last Webex answer that was not 2xx (status 0: no answer). */
	lastWebexError?: {at: string; method: string; path: string; status: number; trackingId?: string};
	/** Where balances come from, e.g. "sqlite /srv/crm.db" or "postgres crm.example:5432/crm (query)". */
	accountSource: string;
	/** Who may see what, in one line. */
	policy: string;
}

export interface Instance {
	id: string;
	pid: number;
	host: string;
	startedAt: number;
	heartbeatAt: number;
	status: InstanceStatus;
}

type Integer = number | string;

interface Row {
	instance_id: string;
	pid: Integer;
	host: string;
	started_at: Integer;
	heartbeat_at: Integer;
	status: string;
}

/** A listener whose row is older than this is taken for gone. */
export const instanceLivenessMs = 15_000;

async function tableExists(db: SqlExecutor): Promise<boolean> {
	const found =
		db.dialect === 'postgres'
			? await db.get<{found: string | null}>("SELECT to_regclass('listener_instances')::text AS found")
			: await db.get<{found: string}>("SELECT name AS found FROM sqlite_master WHERE type = 'table' AND name = 'listener_instances'");
	return Boolean(found?.found);
}

export async function writeInstance(db: SqlExecutor, instance: Instance): Promise<void> {
	await db.run(
		`INSERT INTO listener_instances (instance_id, pid, host, started_at, heartbeat_at, status) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = $5, status = $6`,
		[instance.id, instance.pid, instance.host, instance.startedAt, instance.heartbeatAt, JSON.stringify(instance.status)],
	);
}

export async function removeInstance(db: SqlExecutor, id: string): Promise<void> {
	await db.run('DELETE FROM listener_instances WHERE instance_id = $1', [id]);
}

/** Listeners that beat within `livenessMs`, the most recently started first. Empty when no listener ever ran here. */
export async function liveInstances(db: SqlExecutor, now = Date.now(), livenessMs = instanceLivenessMs): Promise<Instance[]> {
	if (!(await tableExists(db))) return [];
	const rows = await db.all<Row>('SELECT instance_id, pid, host, started_at, heartbeat_at, status FROM listener_instances WHERE heartbeat_at >= $1 ORDER BY started_at DESC, instance_id', [now - livenessMs]);
	return rows.flatMap(row => {
		try {
			return [{id: row.instance_id, pid: Number(row.pid), host: row.host, startedAt: Number(row.started_at), heartbeatAt: Number(row.heartbeat_at), status: JSON.parse(row.status) as InstanceStatus}];
		} catch {
			return [];
		}
	});
}
