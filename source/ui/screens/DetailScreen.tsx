// Every field of one webhook, and what can be done to it.
import {WebhookDetail} from '../components/WebhookDetail.js';
import {useAction} from '../hooks/useKeys.js';
import type {ScreenProps} from './screen.js';

export function DetailScreen({route, model}: ScreenProps<{kind: 'detail'; id: string}>) {
	const webhook = model.byId(route.id);
	useAction('detail', action => {
		model.setNote(undefined);
		if (action === 'back') model.go({kind: 'list'});
		else if (action === 'quit') void model.quit();
		else if (action === 'help') model.go({kind: 'help', back: route});
		else if (action === 'edit') model.startEdit(webhook);
		else if (action === 'reactivate') void model.reactivate(webhook);
		else if (action === 'delete') model.askDelete(webhook, 'detail');
	});
	return webhook ? <WebhookDetail webhook={webhook} ownTarget={model.ownTarget} /> : null;
}
