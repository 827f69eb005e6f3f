// The database's view of the listener, polled while a screen shows it: the
// unanswered events, the inbox's health and the running listeners.
import {useCallback, useEffect, useState} from 'react';
import type {ConsoleData, EventRecord, InboxHealth, Instance} from '../consoleData.js';
import {describeError, type UiError} from '../format.js';

export interface ConsoleState {
	loading: boolean;
	events: EventRecord[];
	health?: InboxHealth;
	instances: Instance[];
	error?: UiError;
	/** Reads again now (after a retry). */
	refresh(): Promise<void>;
}

export function useConsole(data: ConsoleData | undefined, active: boolean, intervalMs = 1000): ConsoleState {
	const [state, setState] = useState<Omit<ConsoleState, 'refresh'>>({loading: true, events: [], instances: []});
	const read = useCallback(async () => {
		if (!data) return;
		try {
			const [events, health, instances] = await Promise.all([data.unanswered(), data.health(), data.instances()]);
			setState({loading: false, events, health, instances});
		} catch (error) {
			setState(current => ({...current, loading: false, error: describeError(error)}));
		}
	}, [data]);
	useEffect(() => {
		if (!active || !data) return;
		let live = true;
		let timer: NodeJS.Timeout | undefined;
		const loop = async () => {
			await read();
			if (live) timer = setTimeout(() => void loop(), intervalMs);
		};
		void loop();
		return () => {
			live = false;
			clearTimeout(timer);
		};
	}, [active, data, read, intervalMs]);
	return {...state, refresh: read};
}
