// Times as the events commands read and print them: `--since 1h` (or an ISO
// time), ages such as `3m`, and the time of day of a change in `events tail`.
import {parseInstant} from '../timeSpec.js';
import {CommandError} from './run.js';

export {ago} from '../eventText.js';

/** `30m`, `1h`, `7d`, `1h30m` before now, or an ISO date or time with its zone (source/timeSpec.ts); anything else is a usage error. */
export function parseSince(text: string, name: string, now = Date.now()): Date {
	try {
		return parseInstant(text, name, new Date(now));
	} catch (error) {
		throw new CommandError(error instanceof Error ? error.message : String(error), 2);
	}
}

/** `21:04:05`, UTC. */
export const timeOfDay = (at: number) => new Date(at).toISOString().slice(11, 19);
