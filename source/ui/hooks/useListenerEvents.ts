// The listener's activity and counters, live. Bursts of deliveries (a load
// test, a backlog) are drawn at most every `flushMs`, not once per event.
import {useEffect, useState} from 'react';
import type {ListenerCounters, ListenerEvent, ListenerHandle} from '../../../server/events.js';

export interface ListenerActivity {
	/** Oldest first, at most `keep`; never the bot's own messages (see ignoredSelf). */
	events: ListenerEvent[];
	/** The bot's own messages that were ignored: a counter, not a line each (half the demo's activity otherwise). */
	ignoredSelf: number;
	counters?: ListenerCounters;
}

const isOwnMessage = (event: ListenerEvent) => event.outcome === 'ignored' && event.reason === 'self';

export function useListenerEvents(handle: ListenerHandle | undefined, {keep = 200, flushMs = 50} = {}): ListenerActivity {
	const [activity, setActivity] = useState<ListenerActivity>({events: [], ignoredSelf: 0});
	useEffect(() => {
		if (!handle) return;
		let queued: ListenerEvent[] = [];
		let timer: NodeJS.Timeout | undefined;
		const flush = () => {
			timer = undefined;
			const arrived = queued;
			queued = [];
			const own = arrived.filter(isOwnMessage).length;
			const shown = arrived.filter(event => !isOwnMessage(event));
			setActivity(current => ({events: [...current.events, ...shown].slice(-keep), ignoredSelf: current.ignoredSelf + own, counters: handle.counters()}));
		};
		setActivity(current => ({...current, counters: handle.counters()}));
		const unsubscribe = handle.onEvent(event => {
			queued.push(event);
			timer ??= setTimeout(flush, flushMs);
		});
		return () => {
			unsubscribe();
			if (timer) clearTimeout(timer);
		};
	}, [handle, keep, flushMs]);
	return activity;
}
