// doctor's checks of the running service (issue 16), beside its checks of the
// configuration: does the listener answer where Webex is told to deliver, is
// it working through its inbox, and does the audit trail's chain verify?
// Each returns doctor's Check shape; doctor.ts adds them in one line.
import {auditCheck} from '../../server/store/audit.js';
import {createEventLog} from '../../server/store/eventLog.js';
import type {Config} from '../config.js';
import {openDatabase} from '../crm/database.js';
import {safeText} from '../terminal/safeText.js';
import {ago} from './eventTimes.js';

export interface ServiceCheck {
	name: string;
	ok: boolean;
	detail: string;
	fix?: string;
}

/** An event due this long ago and still not taken means nobody is working through the inbox. */
export const stuckAfterMs = 2 * 60_000;

export async function serviceChecks(config: Config): Promise<ServiceCheck[]> {
	return [await healthzCheck(config), ...(await inboxChecks(config))];
}

/** PUBLIC_URL + /healthz answers: something is listening where Webex is told to deliver. */
export async function healthzCheck(config: Pick<Config, 'publicUrl'>): Promise<ServiceCheck> {
	const url = `${config.publicUrl}/healthz`;
	const fix = 'start `globobot-admin serve` (or check PUBLIC_URL, the proxy in front of it, and its TLS certificate)';
	try {
		const started = performance.now();
		const response = await fetch(url, {signal: AbortSignal.timeout(5000), redirect: 'manual'});
		await response.arrayBuffer();
		const ms = Math.round(performance.now() - started);
		if (response.status === 200) return {name: 'listener', ok: true, detail: `${safeText(url)} answers (${ms} ms)`};
		return {name: 'listener', ok: false, detail: `${safeText(url)} answered ${response.status}`, fix};
	} catch (error) {
		const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
		return {name: 'listener', ok: false, detail: `nothing answers at ${safeText(url)} (${safeText(reason.split('\n')[0] ?? '')})`, fix};
	}
}

/** The inbox is being worked through, and nothing failed in the last 24 hours. */
export async function inboxChecks(config: Pick<Config, 'databaseUrl'>): Promise<ServiceCheck[]> {
	const now = Date.now();
	let database;
	try {
		database = await openDatabase(config.databaseUrl, {create: false});
	} catch {
		// doctor's database check names the problem; nothing more to say here.
		return [];
	}
	try {
		const log = createEventLog(database.store);
		if (!(await log.exists())) return [{name: 'inbox', ok: true, detail: 'empty: no listener has run on this database yet'}, await auditChainCheck(database.store)];
		const health = await log.health(stuckAfterMs);
		const last = health.lastReceivedAt === undefined ? 'nothing received yet' : `last delivery ${ago(now, health.lastReceivedAt)} ago`;
		const backlog: ServiceCheck =
			health.overdue > 0
				? {
						name: 'inbox',
						ok: false,
						detail: `${health.overdue} event${health.overdue === 1 ? '' : 's'} due for over ${ago(0, stuckAfterMs)} and not taken (${health.pending} unfinished; ${last})`,
						fix: 'no listener is working on this database: start `globobot-admin serve` with this DATABASE_URL, then `globobot-admin events list --state pending`',
					}
				: {name: 'inbox', ok: true, detail: `${health.pending} unfinished (${health.waiting} waiting, ${health.retrying} being retried); ${last}`};
		const failed: ServiceCheck =
			health.failed24h > 0
				? {
						name: 'failed events',
						ok: false,
						detail: `${health.failed24h} event${health.failed24h === 1 ? '' : 's'} ended without a reply in the last 24 h`,
						fix: 'see why with `globobot-admin events list --state failed --since 24h`; `events retry ID` once the cause is fixed',
					}
				: {name: 'failed events', ok: true, detail: 'none in the last 24 h'};
		return [backlog, failed, await auditChainCheck(database.store)];
	} finally {
		await database.close();
	}
}

/** The audit trail's hash chain verifies (server/store/audit.ts); a failure names the first entry altered, removed or inserted. */
async function auditChainCheck(store: Parameters<typeof auditCheck>[0]): Promise<ServiceCheck> {
	try {
		return {...(await auditCheck(store))};
	} catch (error) {
		return {name: 'audit chain', ok: false, detail: `cannot verify: ${safeText(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error))}`, fix: 'run `globobot-admin audit verify`'};
	}
}
