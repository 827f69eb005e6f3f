// `globobot-admin events list|show|retry|tail`: why a question went
// unanswered, read from the listener's inbox in the database, so it works
// against a running `serve` (any replica) and after restarts. Never message
// text or figures: the inbox keeps ids, states and error codes, and the reply
// plan is never read. Ids, emails and error codes come from outside and go
// through safeText.
import {userInfo} from 'node:os';
import {setTimeout as sleep} from 'node:timers/promises';
import {createEventLog, stateFilters, type EventDetail, type EventLog, type EventRecord, type StateFilter} from '../../server/store/eventLog.js';
import {listenerMigrations} from '../../server/store/migrations/index.js';
import {loadConfig} from '../config.js';
import {DatabaseUrlError, openDatabase} from '../crm/database.js';
import {describeDatabaseUrl} from '../crm/describe.js';
import type {Database} from '../crm/types.js';
import {migrateStore} from '../sql/migrate.js';
import {reasonOf} from '../eventText.js';
import {ago, parseSince, timeOfDay} from './eventTimes.js';
import {processOutput, safeText, type Output} from './output.js';
import {CommandError} from './run.js';

export type EventsOptions = {
	action: 'list' | 'show' | 'retry' | 'tail';
	database?: string;
	state?: string;
	since?: string;
	limit?: string;
	json?: boolean;
	id?: string;
	ids?: string[];
	/** tail: how often the database is read, in ms (default 1000). */
	interval?: string;
	/** For tests: resolves to stop `tail` instead of SIGINT. */
	until?: Promise<unknown>;
};

type EventsOutput = Pick<Output, 'out' | 'err' | 'json'>;

/** The stable `--json` shape of an event. */
export const eventJson = (event: EventRecord) => ({
	id: event.id,
	state: event.state,
	attempts: event.attempts,
	source: event.source,
	outcome: event.outcome ?? null,
	lastError: event.lastError ?? null,
	roomType: event.roomType ?? null,
	personEmail: event.personEmail ?? null,
	replies: event.replies,
	receivedAt: new Date(event.receivedAt).toISOString(),
	updatedAt: new Date(event.updatedAt).toISOString(),
	nextAttemptAt: event.nextAttemptAt === undefined ? null : new Date(event.nextAttemptAt).toISOString(),
});

export async function run(options: EventsOptions, output: EventsOutput = processOutput()): Promise<number> {
	const filter = {
		...(options.state !== undefined && {states: parseStates(options.state)}),
		...(options.since !== undefined && {since: parseSince(options.since, '--since').getTime()}),
		...(options.limit !== undefined && {limit: positive(options.limit, '--limit', 10_000)}),
	};
	const interval = options.interval === undefined ? 1000 : positive(options.interval, '--interval', 60_000);
	const config = loadConfig({database: options.database});
	let database: Database;
	try {
		// Reading and retrying events creates nothing: without a database there are no events.
		database = await openDatabase(config.databaseUrl, {create: false});
	} catch (error) {
		if (error instanceof DatabaseUrlError) throw error;
		const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
		if (options.action === 'list') {
			if (options.json) output.json([]);
			else output.out(`no events: ${safeText(reason ?? '')}`);
			return 0;
		}
		throw new CommandError(`no events: ${reason}`, 1);
	}
	try {
		const log = createEventLog(database.store);
		const where = describeDatabaseUrl(config.databaseUrl);
		if (options.action === 'tail') return await tail(log, filter, interval, options, output);
		if (!(await log.exists())) {
			if (options.action === 'list') {
				if (options.json) output.json([]);
				else output.out(`no events: no listener has run on ${safeText(where)} yet`);
				return 0;
			}
			throw new CommandError(`no events: no listener has run on ${where} yet`, 1);
		}
		switch (options.action) {
			case 'list':
				return await list(log, filter, options.json === true, output);
			case 'show':
				return await show(log, required(options.id), options.json === true, output);
			case 'retry':
				// Brings the operator-actions table along when this database's listener predates it.
				await migrateStore(database.store, listenerMigrations);
				return await retry(log, options.ids ?? [], options.json === true, output);
		}
	} finally {
		await database.close();
	}
}

function required(id: string | undefined): string {
	if (!id) throw new CommandError('an event id is required', 2);
	return id;
}

function parseStates(text: string): StateFilter[] {
	const states = text.split(',').map(state => state.trim().toLowerCase());
	for (const state of states) {
		if (!(stateFilters as readonly string[]).includes(state)) throw new CommandError(`--state must be one of ${stateFilters.join(', ')} (got "${safeText(state)}")`, 2);
	}
	return states as StateFilter[];
}

function positive(text: string, name: string, max: number): number {
	const value = Number(text);
	if (!/^\d+$/.test(text.trim()) || value < 1 || value > max) throw new CommandError(`${name} must be a whole number from 1 to ${max}`, 2);
	return value;
}

function row(event: EventRecord, first: string): string {
	return [first, event.state.padEnd(10), String(event.attempts).padStart(5), event.source.padEnd(9), safeText(reasonOf(event)).padEnd(24), safeText(event.id)].join('  ');
}

async function list(log: EventLog, filter: Parameters<EventLog['list']>[0], json: boolean, output: EventsOutput): Promise<number> {
	const events = await log.list(filter);
	if (json) {
		output.json(events.map(eventJson));
		return 0;
	}
	if (events.length === 0) {
		output.out('no events match');
		return 0;
	}
	const now = Date.now();
	output.out(['AGE'.padEnd(5), 'STATE'.padEnd(10), 'TRIES', 'SOURCE'.padEnd(9), 'OUTCOME / LAST ERROR'.padEnd(24), 'ID'].join('  '));
	for (const event of events) output.out(row(event, ago(now, event.receivedAt).padEnd(5)));
	output.out(`${events.length} event${events.length === 1 ? '' : 's'} (newest first; \`events show ID\` for one)`);
	return 0;
}

async function show(log: EventLog, id: string, json: boolean, output: EventsOutput): Promise<number> {
	const event = await log.get(id);
	if (!event) throw new CommandError(`no event ${safeText(id)}`, 1);
	if (json) {
		output.json({...eventJson(event), step: event.step, leased: event.leased, replyIds: event.replyIds, actions: event.actions.map(action => ({...action, at: new Date(action.at).toISOString()}))});
		return 0;
	}
	for (const line of detailLines(event)) output.out(line);
	return 0;
}

export function detailLines(event: EventDetail, now = Date.now()): string[] {
	const lines = [
		`event     ${safeText(event.id)}`,
		`state     ${event.state}${event.leased ? ' (a worker holds it now)' : ''}`,
		`attempts  ${event.attempts}`,
		`source    ${event.source}`,
		`received  ${new Date(event.receivedAt).toISOString()} (${ago(now, event.receivedAt)} ago)`,
		`updated   ${new Date(event.updatedAt).toISOString()}`,
		`asked by  ${safeText(event.personEmail ?? '(no address in the delivery)')} in a ${event.roomType ?? 'unknown'} room ${safeText(event.roomId)}`,
	];
	if (event.outcome) lines.push(`outcome   ${safeText(event.outcome)}`);
	if (event.lastError) lines.push(`error     ${safeText(event.lastError)}`);
	if (event.nextAttemptAt !== undefined) lines.push(`next try  ${event.nextAttemptAt > now ? `in ${ago(now, event.nextAttemptAt, '')}` : 'due now'}`);
	lines.push(`replies   ${event.replyIds.length === 0 ? 'none sent' : event.replyIds.map(safeText).join(', ')}`);
	for (const action of event.actions) lines.push(`operator  ${new Date(action.at).toISOString()} ${safeText(action.operator)}: ${safeText(action.action)}, ${safeText(action.detail)}`);
	if (event.state === 'failed' && event.replyIds.length === 0) lines.push(`          retry it with \`globobot-admin events retry ${safeText(event.id)}\``);
	return lines;
}

/** Who retried, for the record: the login name of the account running the command. */
function operatorName(): string {
	try {
		return userInfo().username || 'unknown';
	} catch {
		return 'unknown';
	}
}

async function retry(log: EventLog, ids: string[], json: boolean, output: EventsOutput): Promise<number> {
	if (ids.length === 0) throw new CommandError('give at least one event id', 2);
	const operator = operatorName();
	const retried: string[] = [];
	const failed: Array<{id: string; error: string}> = [];
	for (const id of [...new Set(ids)]) {
		const result = await log.retry(id, operator);
		if (result.result === 'retried') {
			retried.push(id);
			if (!json) output.out(`retried ${safeText(id)} (was ${safeText(result.previous.outcome ?? 'failed')} after ${result.previous.attempts} attempt${result.previous.attempts === 1 ? '' : 's'}): pending again`);
			continue;
		}
		const error =
			result.result === 'not-found' ? 'no such event' : result.result === 'not-failed' ? `not failed (it is ${result.state})` : `a reply already reached Webex (${result.replies}); retrying could answer twice`;
		failed.push({id, error});
		if (!json) output.err(`not retried ${safeText(id)}: ${error}`);
	}
	if (json) output.json({retried, failed});
	else if (retried.length > 0) output.err('a running listener picks retried events up at its next poll (within seconds)');
	return failed.length > 0 ? 1 : 0;
}

/** Follows new and changed events, like `stripe logs tail`, until SIGINT (or `until`). */
async function tail(log: EventLog, filter: {states?: StateFilter[]; since?: number}, intervalMs: number, options: EventsOptions, output: EventsOutput): Promise<number> {
	const stop = options.until ?? untilInterrupted();
	let stopped = false;
	void stop.then(() => {
		stopped = true;
	});
	const wanted = new Set(filter.states?.flatMap(state => (state === 'pending' ? ['pending', 'processing'] : [state])));
	const start = filter.since ?? Date.now();
	/** What was last printed per event, so each change prints once. */
	const seen = new Map<string, string>();
	let cursor = start;
	// Writes from other replicas may land with a slightly older clock: read back this far.
	const slackMs = 2000;
	if (!options.json) output.err(`following events${filter.since ? ` since ${new Date(start).toISOString()}` : ''}; Ctrl-C stops`);
	let waitedForInbox = false;
	while (!stopped) {
		if (await log.exists()) {
			for (const event of await log.changedSince(Math.max(start, cursor - slackMs))) {
				const signature = `${event.state}|${event.attempts}|${event.updatedAt}`;
				if (seen.get(event.id) === signature) continue;
				seen.set(event.id, signature);
				cursor = Math.max(cursor, event.updatedAt);
				if (wanted.size > 0 && !wanted.has(event.state)) continue;
				if (options.json) output.out(JSON.stringify(eventJson(event)));
				else output.out(row(event, timeOfDay(event.updatedAt)));
			}
			for (const [id, signature] of seen) if (Number(signature.split('|')[2]) < cursor - 10 * slackMs) seen.delete(id);
		} else if (!waitedForInbox && !options.json) {
			waitedForInbox = true;
			output.err('no listener has run on this database yet: waiting for its first event');
		}
		await Promise.race([sleep(intervalMs), stop]);
	}
	return 0;
}

function untilInterrupted(): Promise<void> {
	return new Promise(resolve => {
		const done = () => {
			process.off('SIGINT', done);
			process.off('SIGTERM', done);
			resolve();
		};
		process.once('SIGINT', done);
		process.once('SIGTERM', done);
	});
}
