// Create a webhook (with this listener's defaults) or edit one.
import {WebhookForm} from '../components/WebhookForm.js';
import type {ScreenProps} from './screen.js';

export function FormScreen({route, model}: ScreenProps<{kind: 'create'} | {kind: 'edit'; id: string}>) {
	const busy = model.hooks.pending;
	if (route.kind === 'create') {
		return (
			<WebhookForm
				mode="create"
				initial={model.createDefaults}
				knownSecrets={model.knownSecrets}
				secretPlaceholder="(none configured: a strong one is generated and saved for the listener)"
				busy={busy}
				error={model.formError}
				onSubmit={values => void model.submitCreate(values)}
				onCancel={() => model.go({kind: 'list'})}
			/>
		);
	}
	const webhook = model.byId(route.id);
	if (!webhook) return null;
	return (
		<WebhookForm
			mode="edit"
			initial={{name: webhook.name, targetUrl: webhook.targetUrl, resource: webhook.resource, event: webhook.event, filter: webhook.filter ?? '', secret: ''}}
			knownSecrets={model.knownSecrets}
			secretPlaceholder={webhook.secret ? '(empty: keep the current secret)' : '(empty: no secret)'}
			busy={busy}
			error={model.formError}
			onSubmit={values => void model.submitEdit(webhook.id, values)}
			onCancel={() => model.go({kind: 'detail', id: webhook.id})}
		/>
	);
}
