// Attach mode: a `serve` already runs on this database, so the TUI does not
// start its own listener; it follows that one from the database instead. This
// is a ListenerHandle made of what the database says: the activity from the
// inbox's events (so its history survives restarts: the last ones are shown
// at once), the sources and health from the listener's heartbeat. Closing it
// stops reading; the listener it watches keeps running.
import type {ListenerCounters, ListenerEvent, ListenerEventHandler, ListenerHandle, ListenerOutcome} from '../../server/events.js';
import {createEventLog, type EventRecord} from '../../server/store/eventLog.js';
import {liveInstances, type Instance} from '../../server/store/instances.js';
import type {SqlStore} from '../sql/types.js';

const zero = (): ListenerCounters => ({received: 0, replied: 0, rejected: 0, denied: 0, failed: 0, duplicate: 0, ignored: 0});

/** What an event's state means on the activity pane; undefined for a state it does not show (claimed, sending). */
function outcomeOf(event: EventRecord, firstSeen: boolean): ListenerOutcome | undefined {
	if (event.state === 'done') return event.outcome === 'denied' ? 'denied' : event.outcome === 'ignored-self' ? 'ignored' : 'replied';
	if (event.state === 'failed') return 'failed';
	return firstSeen ? 'received' : undefined;
}

function toListenerEvent(event: EventRecord, outcome: ListenerOutcome): ListenerEvent {
	return {
		outcome,
		source: event.source,
		at: new Date(outcome === 'received' ? event.receivedAt : event.updatedAt).toISOString(),
		eventId: event.id,
		...(event.personEmail && {requesterEmail: event.personEmail}),
		...(outcome === 'failed' && {reason: event.outcome ?? event.lastError ?? 'failed'}),
		...((outcome === 'replied' || outcome === 'denied') && {durationMs: Math.max(0, event.updatedAt - event.receivedAt)}),
		...(outcome === 'ignored' && {reason: 'self'}),
	};
}

export interface AttachOptions {
	pollMs?: number;
	/** Events shown at once from before the attach. */
	history?: number;
}

export async function attachListener(store: SqlStore, options: AttachOptions = {}): Promise<ListenerHandle & {instance(): Instance | undefined}> {
	const log = createEventLog(store);
	const pollMs = options.pollMs ?? 1000;
	const handlers = new Set<ListenerEventHandler>();
	const counters = zero();
	const kept: ListenerEvent[] = [];
	/** The last state shown per event, so that each change is shown once. */
	const shown = new Map<string, string>();
	let instance = (await liveInstances(store))[0];
	let cursor = Date.now();
	let stopped = false;

	const emit = (event: ListenerEvent) => {
		counters[event.outcome] += 1;
		kept.push(event);
		if (kept.length > 200) kept.shift();
		for (const handler of handlers) {
			try {
				handler(event);
			} catch {
				// A watcher's bug must not stop the others.
			}
		}
	};
	const see = (event: EventRecord) => {
		const signature = `${event.state}|${event.updatedAt}`;
		const before = shown.get(event.id);
		if (before === signature) return;
		shown.set(event.id, signature);
		const firstSeen = before === undefined;
		// Seen for the first time already finished: it was received too.
		if (firstSeen && (event.state === 'done' || event.state === 'failed')) emit(toListenerEvent(event, 'received'));
		const outcome = outcomeOf(event, firstSeen);
		if (outcome && !(before?.startsWith(`${event.state}|`) && outcome !== 'received')) emit(toListenerEvent(event, outcome));
		cursor = Math.max(cursor, event.updatedAt);
	};

	// History: the latest events, oldest first, as they ended.
	if (await log.exists()) {
		const recent = (await log.list({limit: options.history ?? 50})).reverse();
		for (const event of recent) see(event);
	}
	const poll = async () => {
		while (!stopped) {
			try {
				if (await log.exists()) for (const event of await log.changedSince(cursor - 2000)) see(event);
				instance = (await liveInstances(store))[0] ?? instance;
			} catch {
				// The database is briefly unavailable: the next poll tries again.
			}
			await new Promise(resolve => setTimeout(resolve, pollMs).unref());
		}
	};
	void poll();

	const sources = () => (instance ? instance.status.sources.map(source => ({...source, summary: `serve pid ${instance!.pid}: ${source.summary}`})) : []);
	return {
		get healthUrl() {
			return sources().find(source => source.localUrl)?.localUrl ?? '';
		},
		get boundTo() {
			return instance ? `serve pid ${instance.pid} on ${instance.host}` : 'no listener running';
		},
		get metricsUrl() {
			return `${sources().find(source => source.localUrl)?.localUrl ?? ''}/metrics`;
		},
		sources,
		get bot() {
			return instance?.status.bot ?? {id: '', displayName: '', email: ''};
		},
		counters: () => ({...counters}),
		onEvent(handler) {
			for (const event of kept) handler(event);
			handlers.add(handler);
			return () => handlers.delete(handler);
		},
		...(instance?.status.watchdog && {watchdog: () => instance!.status.watchdog!}),
		instance: () => instance,
		async close() {
			stopped = true;
		},
	};
}

/** The latest events as the activity pane shows them, oldest first: what happened before this session started. */
export function historyOf(events: readonly EventRecord[]): ListenerEvent[] {
	const history: ListenerEvent[] = [];
	for (const event of [...events].reverse()) {
		history.push(toListenerEvent(event, 'received'));
		const outcome = outcomeOf(event, false);
		if (outcome) history.push(toListenerEvent(event, outcome));
	}
	return history;
}

/** The embedded listener, with the activity from before it started replayed to each watcher first (history survives restarts). */
export function withHistory(handle: ListenerHandle, history: readonly ListenerEvent[]): ListenerHandle {
	return Object.assign(Object.create(handle) as ListenerHandle, {
		onEvent(handler: ListenerEventHandler) {
			for (const event of history) handler(event);
			return handle.onEvent(handler);
		},
	});
}
