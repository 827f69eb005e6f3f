// How an event reads for a person, said once for `events list|tail` and the
// TUI's Events screen: its age, and why it is where it is.
import type {EventRecord} from '../server/store/eventLog.js';

/** The time between two instants, short: `45s`, `12m`, `3h`, `2d`. */
export function ago(now: number, then: number, zero = '0s'): string {
	const seconds = Math.max(0, Math.round(Math.abs(now - then) / 1000));
	if (seconds === 0) return zero || '0s';
	if (seconds < 90) return `${seconds}s`;
	if (seconds < 90 * 60) return `${Math.round(seconds / 60)}m`;
	if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)}h`;
	return `${Math.round(seconds / 86_400)}d`;
}

/** Why an event is where it is: its outcome once finished, else its last error and when it is tried next. */
export function reasonOf(event: Pick<EventRecord, 'state' | 'outcome' | 'lastError' | 'nextAttemptAt' | 'attempts'>, now = Date.now()): string {
	if (event.state === 'done' || event.state === 'failed') return event.outcome ?? event.lastError ?? '';
	const parts: string[] = [];
	if (event.lastError) parts.push(event.lastError);
	if (event.state === 'sending') parts.push('reply being sent');
	if (event.nextAttemptAt !== undefined && event.nextAttemptAt > now) parts.push(`next try in ${ago(now, event.nextAttemptAt, '')}`);
	else if (event.attempts === 0) parts.push('waiting for a worker');
	return parts.join(', ');
}
