// The webhook list, with the keys of the list and of the activity pane (Tab
// moves the keyboard between them). The list draws as many rows as the
// layout gave it.
import {WebhookList} from '../components/WebhookList.js';
import {outageText} from '../format.js';
import {useAction} from '../hooks/useKeys.js';
import {useNow} from '../hooks/useNow.js';
import type {Action} from '../keymap.js';
import type {AppModel} from '../hooks/useAppModel.js';
import type {ScreenProps} from './screen.js';
import {moveCursor} from '../hooks/useWindowedList.js';

function listAction(model: AppModel, action: Action): void {
	const {list, current, hooks} = model;
	model.setNote(undefined);
	if (moveCursor(list, action)) return;
	switch (action) {
		case 'quit': return void model.quit();
		case 'help': return model.go({kind: 'help', back: {kind: 'list'}});
		case 'focus-activity': return model.setFocus('activity');
		case 'focus-chat': return model.setFocus('chat');
		case 'open': return current ? model.go({kind: 'detail', id: current.id}) : undefined;
		case 'new': return model.startCreate();
		case 'edit': return model.startEdit(current);
		case 'reactivate': return void model.reactivate(current);
		case 'delete': return model.askDelete(current, 'list');
		case 'open-access': return model.go({kind: 'access', view: 'grants'});
		case 'open-audit': return model.go({kind: 'audit', query: '', filtering: false});
		case 'refresh': return void hooks.refresh();
		case 'dismiss': return hooks.dismissError();
		case 'events': return model.console ? model.go({kind: 'events'}) : model.setNote('No database to read events from.');
		default: return undefined;
	}
}

function activityAction(model: AppModel, action: Action): void {
	switch (action) {
		case 'quit': return void model.quit();
		case 'help': return model.go({kind: 'help', back: {kind: 'list'}});
		case 'focus-chat': return model.setFocus('chat');
		case 'focus-list': return model.setFocus('list');
		case 'scroll-up': return model.scroll(1);
		case 'scroll-down': return model.scroll(-1);
		default: return undefined;
	}
}

export function ListScreen({model, width, route}: ScreenProps) {
	const {hooks, list, focus} = model;
	const options = {chat: model.hasChat};
	const listening = route.kind === 'list';
	useAction('list', action => listAction(model, action), listening && focus === 'list', options);
	useAction('activity', action => activityAction(model, action), listening && focus === 'activity', options);
	const now = useNow(Boolean(hooks.outage));
	const placeholder = hooks.outage
		? outageText(hooks.outage.error, hooks.outage.retryAt - now, hooks.outage.attempt)
		: hooks.loading
			? 'Loading webhooks…'
			: 'No webhooks yet. Press n to create one.';
	return (
		<WebhookList
			webhooks={hooks.webhooks}
			selected={list.selected}
			offset={list.offset}
			height={Math.max(1, list.height)}
			grow={Math.max(3, hooks.webhooks.length)}
			onRows={model.setListRows}
			width={width}
			ownTarget={model.ownTarget}
			focused={listening && focus === 'list'}
			placeholder={placeholder}
			placeholderTone={hooks.outage ? 'error' : 'dim'}
		/>
	);
}
