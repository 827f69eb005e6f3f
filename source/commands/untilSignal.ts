// Long-running commands (serve, sandbox) run until SIGTERM or SIGINT. The
// listeners are attached at the call, before anything starts, so a signal
// during start-up still ends in a clean close.
import {once} from 'node:events';

/** Resolves with the name of the first SIGTERM or SIGINT. */
export async function untilSignal(): Promise<'SIGTERM' | 'SIGINT'> {
	const controller = new AbortController();
	const signals = ['SIGTERM', 'SIGINT'] as const;
	try {
		return await Promise.race(signals.map(async name => {
			await once(process, name, {signal: controller.signal});
			return name;
		}));
	} finally {
		controller.abort();
	}
}
