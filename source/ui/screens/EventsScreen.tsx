// Events and health, from the database: the health panel over the pending
// and failed events with their reasons. `r` on a failed event asks, and `y`
// puts it back to pending once (recorded as an operator action); whichever
// listener runs on the database then answers it.
import {Box} from '../components/Box.js';
import {ConfirmDialog} from '../components/ConfirmDialog.js';
import {EventTable} from '../components/EventTable.js';
import {HealthPanel} from '../components/HealthPanel.js';
import {useConsole} from '../hooks/useConsole.js';
import {useAction} from '../hooks/useKeys.js';
import {useNow} from '../hooks/useNow.js';
import {useTerminalSize} from '../hooks/useTerminalSize.js';
import {useWindowedList} from '../hooks/useWindowedList.js';
import type {AppModel} from '../hooks/useAppModel.js';
import type {ScreenProps} from './screen.js';

function EventsView({model, width, listening}: {model: AppModel; width: number; listening: boolean}) {
	const state = useConsole(model.console, true);
	const {rows} = useTerminalSize();
	// Header, health panel, the table's frame and heading, status line and footer.
	const tableRows = Math.max(2, rows - 18);
	const list = useWindowedList(state.events.length, tableRows);
	const now = useNow(true);
	const current = state.events[list.selected];
	useAction(
		'events',
		action => {
			model.setNote(undefined);
			if (action === 'back') model.go({kind: 'list'});
			else if (action === 'quit') void model.quit();
			else if (action === 'help') model.go({kind: 'help', back: {kind: 'events'}});
			else if (action === 'move-up') list.moveBy(-1);
			else if (action === 'move-down') list.moveBy(1);
			else if (action === 'retry') {
				if (!current) return;
				if (current.state !== 'failed') model.setNote(`Only a failed event can be retried; this one is ${current.state} and will be tried again by itself.`);
				else if (current.replies > 0) model.setNote('A reply to this event already reached Webex: retrying it could answer twice.');
				else model.go({kind: 'confirm-retry', id: current.id});
			}
		},
		listening,
	);
	const placeholder = state.loading ? 'Reading the inbox…' : state.error ? `Cannot read the inbox: ${state.error.message}` : 'Nothing unanswered: every event is done.';
	return (
		<Box flexDirection="column" flexGrow={1}>
			<HealthPanel health={state.health} instances={state.instances} now={now} />
			<EventTable events={state.events} selected={list.selected} offset={list.offset} height={tableRows} width={width} now={now} placeholder={placeholder} />
		</Box>
	);
}

export function EventsScreen({model, width, route}: ScreenProps<{kind: 'events'}>) {
	return <EventsView model={model} width={width} listening={route.kind === 'events'} />;
}

export function RetryScreen({model, width, route}: ScreenProps<{kind: 'confirm-retry'; id: string}>) {
	const confirm = async () => {
		model.go({kind: 'events'});
		const result = await model.console?.retry(route.id);
		if (!result) return;
		if (result.result === 'retried') model.setNote(`Retried: pending again (was ${result.previous.outcome ?? 'failed'}); the listener answers it at its next poll.`);
		else if (result.result === 'not-failed') model.setNote(`Not retried: it is ${result.state} now.`);
		else if (result.result === 'answered') model.setNote('Not retried: a reply already reached Webex.');
		else model.setNote('Not retried: the event is gone.');
	};
	return (
		<Box flexDirection="column" flexGrow={1}>
			<EventsView model={model} width={width} listening={false} />
			<ConfirmDialog message="Retry this failed event? It goes back to pending, once." onConfirm={() => void confirm()} onCancel={() => model.go({kind: 'events'})} />
		</Box>
	);
}
