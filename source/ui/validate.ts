// Checks of the webhook form, field by field, so each problem is shown next to
// its field. Errors block saving; warnings only inform.
import {filterMissesDirectRooms} from '../defaultWebhook.js';
import {checkTargetUrl} from '../webhookTarget.js';

export type WebhookField = 'name' | 'targetUrl' | 'resource' | 'event' | 'filter' | 'secret';

export interface WebhookFormValues {
	name: string;
	targetUrl: string;
	resource: string;
	event: string;
	filter: string;
	secret: string;
}

export interface FieldNotes {
	errors: Partial<Record<WebhookField, string>>;
	warnings: Partial<Record<WebhookField, string>>;
}

const filterPair = /^[A-Za-z]+=[^&=\s]+$/;

export interface CheckContext {
	mode: 'create' | 'edit';
	/** Secrets the listener verifies with; a different one means rejected deliveries. */
	knownSecrets: readonly string[];
}

export function checkWebhookForm(values: WebhookFormValues, context: CheckContext): FieldNotes {
	const notes: FieldNotes = {errors: {}, warnings: {}};
	if (!values.name.trim()) notes.errors.name = 'a name is required';
	else if (values.name.length > 128) notes.errors.name = 'at most 128 characters';

	const target = checkTargetUrl(values.targetUrl);
	if (target.error) notes.errors.targetUrl = target.error;
	if (target.warning) notes.warnings.targetUrl = target.warning;

	if (context.mode === 'create' && values.filter.trim() && !values.filter.trim().split('&').every(pair => filterPair.test(pair))) {
		notes.errors.filter = 'key=value pairs joined with &, e.g. roomId=…&personEmail=…';
	} else if (context.mode === 'create' && filterMissesDirectRooms(values.filter.trim())) {
		notes.warnings.filter = 'direct messages will not arrive; a bot needs no mention filter';
	}

	if (values.secret) {
		if (values.secret.length < 8) notes.errors.secret = 'at least 8 characters';
		else if (!context.knownSecrets.includes(values.secret)) notes.warnings.secret = 'the listener does not know this secret: its deliveries will be rejected';
	}
	return notes;
}

export const hasErrors = (notes: FieldNotes) => Object.keys(notes.errors).length > 0;
