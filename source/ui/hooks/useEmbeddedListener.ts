// The embedded listener, started by the command while the first frame is
// drawn; this hook follows it from "starting" to running (or failed).
import {useEffect, useState} from 'react';
import type {ListenerHandle} from '../../../server/events.js';
import {describeError, type UiError} from '../format.js';

export interface EmbeddedListenerState {
	/** Undefined with --no-listener. */
	status: 'off' | 'starting' | 'running' | 'failed';
	handle?: ListenerHandle;
	error?: UiError;
}

export function useEmbeddedListener(starting: Promise<ListenerHandle> | undefined): EmbeddedListenerState {
	const [state, setState] = useState<EmbeddedListenerState>({status: starting ? 'starting' : 'off'});
	useEffect(() => {
		if (!starting) return;
		let live = true;
		starting.then(
			handle => {
				if (live) setState({status: 'running', handle});
			},
			(error: unknown) => {
				if (live) setState({status: 'failed', error: describeError(error)});
			},
		);
		return () => {
			live = false;
		};
	}, [starting]);
	return state;
}
