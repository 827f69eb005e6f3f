// The listener's activity and counters, live. Bursts of deliveries (a load
// test, a backlog) are drawn at most every `flushMs`, not once per event.
import {useEffect, useState} from 'react';
import type {ListenerCounters, ListenerEvent, ListenerHandle} from '../../../server/events.js';

export interface ListenerActivity {
	/** Oldest first, at most `keep`. */
	events: ListenerEvent[];
	counters?: ListenerCounters;
}

export function useListenerEvents(handle: ListenerHandle | undefined, {keep = 200, flushMs = 50} = {}): ListenerActivity {
	const [activity, setActivity] = useState<ListenerActivity>({events: []});
	useEffect(() => {
		if (!handle) return;
		let queued: ListenerEvent[] = [];
		let timer: NodeJS.Timeout | undefined;
		const flush = () => {
			timer = undefined;
			const arrived = queued;
			queued = [];
			setActivity(current => ({events: [...current.events, ...arrived].slice(-keep), counters: handle.counters()}));
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
