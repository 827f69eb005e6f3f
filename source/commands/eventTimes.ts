// Times as the events commands read and print them: `--since 1h` (or an ISO
// time), ages such as `3m`, and the time of day of a change in `events tail`.
import {CommandError} from './run.js';

export {ago} from '../eventText.js';

const units: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000};

/** `90s`, `10m`, `1h`, `7d`, `1h30m` before now, or an ISO time with its zone (`2026-12-01T09:00:00Z`) or a date (`2026-12-01`, midnight UTC). */
export function parseSince(text: string, name: string, now = Date.now()): Date {
	const trimmed = text.trim();
	if (/^(\d{1,6}[smhdw])+$/.test(trimmed)) {
		let total = 0;
		for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) total += Number(amount) * units[unit!]!;
		if (total > 0) return new Date(now - total);
	}
	if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(trimmed)) {
		const at = Date.parse(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed);
		if (!Number.isNaN(at)) return new Date(at);
	}
	throw new CommandError(`${name} must be a duration such as 30m, 1h or 7d, or an ISO time such as 2026-12-01T09:00:00Z`, 2);
}

/** `21:04:05`, UTC. */
export const timeOfDay = (at: number) => new Date(at).toISOString().slice(11, 19);
