// What the embedded listener did, newest at the bottom: time, requester,
// account ids, outcome. Never message text or balances (events carry neither).
import {Box, Text} from 'ink';
import type {ListenerEvent} from '../model.js';
import {clockTime, outcomeColor, outcomeLabel} from '../format.js';

export interface ActivityPaneProps {
	events: readonly ListenerEvent[];
	/** Rows for events. */
	height: number;
	focused: boolean;
	/** How many events up from the newest the view is scrolled. */
	scrollBack: number;
	listenerStatus: 'off' | 'starting' | 'running' | 'failed';
}

function EventLine({event}: {event: ListenerEvent}) {
	return (
		<Text wrap="truncate-end">
			<Text dimColor>{clockTime(event.at)}</Text> <Text color={outcomeColor(event)}>{outcomeLabel(event).padEnd(10)}</Text>{' '}
			{event.requesterEmail ?? '—'}
			{event.accountIds?.length ? <Text color="cyan"> {event.accountIds.join(', ')}</Text> : null}
			{event.durationMs === undefined ? '' : <Text dimColor> {event.durationMs} ms</Text>}
		</Text>
	);
}

function placeholder(status: ActivityPaneProps['listenerStatus']) {
	if (status === 'off') return 'The embedded listener is off (--no-listener).';
	if (status === 'starting') return 'Starting the listener…';
	if (status === 'failed') return 'The listener did not start.';
	return 'Waiting for deliveries. Mention the bot in a Webex space to see it answer here.';
}

export function ActivityPane({events, height, focused, scrollBack, listenerStatus}: ActivityPaneProps) {
	const end = events.length - scrollBack;
	const visible = events.slice(Math.max(0, end - height), end);
	return (
		<Box flexDirection="column" flexGrow={1} flexBasis={0} borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1}>
			<Text bold>
				Activity{scrollBack > 0 ? <Text dimColor> (scrolled back {scrollBack})</Text> : null}
			</Text>
			<Box flexDirection="column" height={height}>
				{visible.length === 0 ? (
					<Text dimColor>{placeholder(listenerStatus)}</Text>
				) : (
					visible.map((event, index) => <EventLine key={`${end - visible.length + index}`} event={event} />)
				)}
			</Box>
		</Box>
	);
}
