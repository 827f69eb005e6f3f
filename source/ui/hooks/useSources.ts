// The embedded listener's event sources (webhook, later catch-up and websocket),
// as ListenerHandle.sources() describes them, followed while the App runs: a
// source can go down and come back without any event to say so.
import {useEffect, useState} from 'react';
import type {ListenerHandle} from '../../../server/events.js';
import type {SourceStatus} from '../../../server/sources/source.js';

export function useSources(handle: ListenerHandle | undefined, everyMs = 1000): SourceStatus[] {
	const [sources, setSources] = useState<SourceStatus[]>(() => handle?.sources() ?? []);
	useEffect(() => {
		if (!handle) return;
		let last = '';
		const read = () => {
			const now = handle.sources();
			const text = JSON.stringify(now);
			if (text !== last) {
				last = text;
				setSources(now);
			}
		};
		read();
		const timer = setInterval(read, everyMs);
		return () => clearInterval(timer);
	}, [handle, everyMs]);
	return sources;
}
