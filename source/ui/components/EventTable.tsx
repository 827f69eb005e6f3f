// Pending and failed events with their reasons, newest first: age, state,
// attempts, why, who asked. Only the visible window is drawn; the cursor row
// is marked ❯. Ids and addresses come from outside: Text makes them safe.
import {ago, reasonOf} from '../../eventText.js';
import type {EventRecord} from '../consoleData.js';
import {Box} from './Box.js';
import {Text} from './Text.js';

export interface EventTableProps {
	events: readonly EventRecord[];
	selected: number;
	offset: number;
	height: number;
	width: number;
	now: number;
	placeholder: string;
}

export function EventTable({events, selected, offset, height, width, now, placeholder}: EventTableProps) {
	// The frame and padding take 4 columns, the cursor, age, state and tries 21; the asker keeps 24.
	const reasonWidth = Math.max(12, Math.min(34, width - 4 - 21 - 1 - 24));
	const visible = events.slice(offset, offset + height);
	const stateColor = (event: EventRecord) => (event.state === 'failed' ? 'red' : event.state === 'sending' ? 'yellow' : 'cyan');
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} flexGrow={1}>
			<Text bold wrap="truncate-end">
				Unanswered events <Text dimColor>({events.length}; failed ones can be retried)</Text>
			</Text>
			<Text dimColor wrap="truncate-end">
				{'   '}
				{'AGE'.padEnd(5)}
				{'STATE'.padEnd(9)}
				{'TRY'.padEnd(4)}
				{'REASON'.padEnd(reasonWidth + 1)}ASKED BY
			</Text>
			{visible.length === 0 ? (
				<Text dimColor>{placeholder}</Text>
			) : (
				visible.map((event, index) => {
					const chosen = offset + index === selected;
					return (
						<Text key={event.id} wrap="truncate-end" inverse={chosen}>
							{chosen ? '❯  ' : '   '}
							{ago(now, event.receivedAt).padEnd(5)}
							<Text color={stateColor(event)}>{event.state.padEnd(9)}</Text>
							{String(event.attempts).padEnd(4)}
							{reasonOf(event, now).slice(0, reasonWidth).padEnd(reasonWidth + 1)}
							{event.personEmail ?? '—'}
						</Text>
					);
				})
			)}
		</Box>
	);
}
