// The listener's health, from the database: the inbox (waiting, pending,
// failed), the last delivery, the last Webex error and its trackingId, the
// sources (catch-up among them) and the watchdog, the account source and the
// policy in one line. Whatever it shows came from outside: Text makes it safe.
import {ago} from '../../eventText.js';
import type {InboxHealth, Instance} from '../consoleData.js';
import {Box} from './Box.js';
import {Text} from './Text.js';

export interface HealthPanelProps {
	health?: InboxHealth;
	instances: readonly Instance[];
	now: number;
}

function Row({label, children, tone}: {label: string; children: string; tone?: 'error' | 'warn' | 'ok'}) {
	const color = tone === 'error' ? 'red' : tone === 'warn' ? 'yellow' : tone === 'ok' ? 'green' : undefined;
	return (
		<Text wrap="truncate-end">
			<Text dimColor>{label.padEnd(9)}</Text>
			<Text {...(color && {color})}>{children}</Text>
		</Text>
	);
}

export function HealthPanel({health, instances, now}: HealthPanelProps) {
	const [listener] = instances;
	const status = listener?.status;
	const inbox = health
		? `${health.waiting} waiting · ${health.pending} pending${health.retrying ? ` (${health.retrying} retrying)` : ''} · ${health.failed24h} failed in 24 h${health.overdue ? ` · ${health.overdue} overdue` : ''}`
		: 'reading…';
	const lastError = status?.lastWebexError;
	const last = [
		health?.lastReceivedAt === undefined ? 'no delivery yet' : `delivery ${ago(now, health.lastReceivedAt)} ago`,
		lastError ? `Webex ${lastError.status || 'no answer'} ${lastError.method} ${lastError.path} ${ago(now, Date.parse(lastError.at))} ago${lastError.trackingId ? `, trackingId ${lastError.trackingId}` : ''}` : 'no Webex error',
	].join(' · ');
	const who = listener
		? `${instances.length > 1 ? `${instances.length} listeners; newest ` : ''}pid ${listener.pid} on ${listener.host} · ${status?.sources.map(source => `${source.summary}${source.live ? '' : ' (down)'}`).join(' · ') ?? ''}`
		: 'none running on this database';
	const watchdog = status?.watchdog;
	const watchdogText = !listener
		? '—'
		: !watchdog
			? 'off (GLOBOBOT_WEBHOOK_CHECK=0)'
			: watchdog.error
				? `every ${Math.round(watchdog.intervalMs / 1000)}s; last check failed: ${watchdog.error}`
				: `every ${Math.round(watchdog.intervalMs / 1000)}s${watchdog.checkedAt ? `, checked ${ago(now, Date.parse(watchdog.checkedAt))} ago` : ''}${watchdog.counts ? `: ${watchdog.counts.active} active, ${watchdog.counts.inactive} inactive` : ''}${watchdog.reactivated ? `; reactivated ${watchdog.reactivated}` : ''}${watchdog.warnings.length ? `; ${watchdog.warnings.join('; ')}` : ''}`;
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="gray" paddingX={1} flexShrink={0}>
			<Text bold>Health</Text>
			<Row label="inbox" tone={health && (health.failed24h || health.overdue) ? 'error' : undefined}>{inbox}</Row>
			<Row label="last" tone={lastError ? 'warn' : undefined}>{last}</Row>
			<Row label="listener" tone={listener ? undefined : 'error'}>{who}</Row>
			<Row label="watchdog" tone={watchdog?.error || watchdog?.warnings.length ? 'warn' : undefined}>{watchdogText}</Row>
			<Row label="answers">{status ? `${status.accountSource} · ${status.policy}` : '—'}</Row>
		</Box>
	);
}
