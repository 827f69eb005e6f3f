// What the embedded listener did, newest at the bottom: time, requester,
// account ids, outcome. Never message text or balances (events carry neither).
import {Box} from './Box.js';
import {Text} from './Text.js';
import type {ListenerEvent} from '../model.js';
import {clockTime, outcomeColor, outcomeLabel} from '../format.js';

export interface ActivityPaneProps {
	events: readonly ListenerEvent[];
	/** The bot's own messages ignored so far: one counter in the title, not a line each. */
	ignoredSelf?: number;
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
			{event.accountIds?.length ? <Text color="cyan">{` ${event.accountIds.join(', ')}`}</Text> : null}
			{event.durationMs === undefined ? '' : <Text dimColor>{` ${event.durationMs} ms`}</Text>}
		</Text>
	);
}

function placeholder(status: ActivityPaneProps['listenerStatus']) {
	if (status === 'off') return 'The embedded listener is off (--no-listener).';
	if (status === 'starting') return 'Starting the listener…';
	if (status === 'failed') return 'The listener did not start.';
	return 'Waiting for deliveries. Mention the bot in a Webex space to see it answer here.';
}

export function ActivityPane({events, ignoredSelf = 0, height, focused, scrollBack, listenerStatus}: ActivityPaneProps) {
	const end = events.length - scrollBack;
	const visible = events.slice(Math.max(0, end - height), end);
	return (
		<Box flexDirection="column" flexGrow={1} flexBasis={0} borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1}>
			<Box flexShrink={0}>
				<Text bold wrap="truncate-end">
					Activity{ignoredSelf > 0 ? <Text dimColor>{` · ${ignoredSelf} own message${ignoredSelf === 1 ? '' : 's'} ignored`}</Text> : null}
					{scrollBack > 0 ? <Text dimColor>{` (scrolled back ${scrollBack})`}</Text> : null}
				</Text>
			</Box>
			<Box flexDirection="column" height={height} overflowY="hidden">
				{visible.length === 0 ? (
					<Text dimColor wrap="truncate-end">{placeholder(listenerStatus)}</Text>
				) : (
					visible.map((event, index) => <EventLine key={`${end - visible.length + index}`} event={event} />)
				)}
			</Box>
		</Box>
	);
}
