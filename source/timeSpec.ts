// Times and durations as people type them on a command line or in an
// environment variable, parsed strictly: `400d`, `1h30m`, an ISO date
// (`2026-11-01`, midnight UTC) or an ISO time with its zone
// (`2026-11-01T09:30:00Z`, `…+01:00`). Anything else is a one-line error
// naming the flag, never a silent guess (Date.parse accepts "1" and "March 7").
// The rejected text is quoted through safeText: it is printed on a terminal.
import {safeText} from './terminal/safeText.js';

const units: Record<string, number> = {ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000};
const maxDuration = 100 * 366 * 86_400_000;

export interface DurationSyntax {
	/** A bare number counts in this unit (Retry-After's seconds); absent: a bare number is refused as ambiguous. */
	bareUnitMs?: number;
	/** `1.5m`, `0.5s`. */
	decimals?: boolean;
}

/**
 * The project's one reading of a duration: `400d`, `1h30m`, `500ms`, `90s` → milliseconds (ms, s, m, h, d, w);
 * undefined when the text is not one. Every setting and flag that takes a duration goes through here, and
 * says its own range and words around it.
 */
export function durationMs(text: string, syntax: DurationSyntax = {}): number | undefined {
	const trimmed = text.trim();
	const amount = syntax.decimals ? '\\d{1,9}(?:\\.\\d{1,6})?' : '\\d{1,9}';
	if (syntax.bareUnitMs !== undefined && new RegExp(`^${amount}$`).test(trimmed)) return Math.round(Number(trimmed) * syntax.bareUnitMs);
	const part = `(${amount})(ms|s|m|h|d|w)`;
	if (!new RegExp(`^(?:${part})+$`, 'i').test(trimmed)) return undefined;
	let total = 0;
	for (const [, value, unit] of trimmed.matchAll(new RegExp(part, 'gi'))) total += Number(value) * units[unit!.toLowerCase()]!;
	return Math.round(total);
}

/** A positive duration such as `400d`, `12h`, `1h30m` (s, m, h, d, w), in milliseconds. */
export function parseDuration(text: string, name: string): number {
	const ms = durationMs(text.trim());
	if (ms === undefined) throw new RangeError(`${name} must be a duration such as 400d, 12h or 30m (got "${safeText(text)}")`);
	if (ms <= 0 || ms > maxDuration) throw new RangeError(`${name} must be more than 0 and at most 100 years`);
	return ms;
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

function fromIso(text: string): Date | undefined {
	const match = isoDate.exec(text) ?? isoTime.exec(text);
	if (!match) return undefined;
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', zone = 'Z'] = match.map(part => part ?? undefined) as string[];
	const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0')));
	const check = new Date(utc);
	// Date.UTC rolls 2026-02-30 over into March; a real date reads back unchanged.
	if (check.getUTCFullYear() !== Number(year) || check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(day)) return undefined;
	if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
	if (zone === 'Z') return check;
	const [zoneHours, zoneMinutes] = zone.slice(1).split(':').map(Number) as [number, number];
	if (zoneHours > 23 || zoneMinutes > 59) return undefined;
	const offset = (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
	return new Date(utc - offset);
}

/** `1h` (that long before `now`), `2026-11-01` or `2026-11-01T09:30:00Z`: an instant. */
export function parseInstant(text: string, name: string, now: Date = new Date()): Date {
	const trimmed = text.trim();
	const ms = durationMs(trimmed);
	if (ms !== undefined) return new Date(now.getTime() - parseDuration(trimmed, name));
	const date = fromIso(trimmed);
	if (!date) throw new RangeError(`${name} must be a duration such as 1h or 7d, or an ISO time such as 2026-11-01 or 2026-11-01T09:30:00Z (got "${safeText(text)}")`);
	return date;
}
