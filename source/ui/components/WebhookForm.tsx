// Create or edit a webhook. Enter saves from any field, Esc cancels; each
// problem is written next to its field.
import {Box} from './Box.js';
import {Text} from './Text.js';
import {useMemo} from 'react';
import type {UiError} from '../format.js';
import {useFormFields} from '../hooks/useFormFields.js';
import {useAction} from '../hooks/useKeys.js';
import type {WebhookField, WebhookFormValues} from '../validate.js';
import {Busy} from './Busy.js';
import {ErrorBox} from './ErrorBox.js';
import {TextField} from './TextField.js';
import {errorTitle} from '../format.js';

export const resourceChoices = ['messages', 'memberships', 'rooms', 'attachmentActions', 'all'] as const;
export const eventChoices = ['created', 'updated', 'deleted', 'all'] as const;

const createFields: WebhookField[] = ['name', 'targetUrl', 'resource', 'event', 'filter', 'secret'];
const editFields: WebhookField[] = ['name', 'targetUrl', 'secret'];
const choices: Partial<Record<WebhookField, readonly string[]>> = {resource: resourceChoices, event: eventChoices};

const labels: Record<WebhookField, string> = {
	name: 'Name',
	targetUrl: 'Target URL',
	resource: 'Resource',
	event: 'Event',
	filter: 'Filter',
	secret: 'Secret',
};

export interface WebhookFormProps {
	mode: 'create' | 'edit';
	initial: WebhookFormValues;
	/** Secrets the listener verifies with (to warn about one it does not know). */
	knownSecrets: readonly string[];
	/** What an empty secret field means, e.g. "keep the current secret". */
	secretPlaceholder: string;
	/** Label of the save in flight. */
	busy?: string;
	error?: UiError;
	onSubmit(values: WebhookFormValues): void;
	onCancel(): void;
}

function Note({error, warning, info}: {error?: string; warning?: string; info?: string}) {
	if (error) return <Text color="red" wrap="truncate-end">{`  ✘ ${error}`}</Text>;
	if (warning) return <Text color="yellow" wrap="truncate-end">{`  ⚠ ${warning}`}</Text>;
	if (info) return <Text dimColor wrap="truncate-end">{`  ${info}`}</Text>;
	return null;
}

function Choice({options, value, focused}: {options: readonly string[]; value: string; focused: boolean}) {
	return (
		<Text wrap="truncate-end">
			<Text dimColor={!focused}>◂ </Text>
			<Text bold={focused}>{value}</Text>
			<Text dimColor={!focused}> ▸</Text>
			{focused ? <Text dimColor>{`  (${options.join(' / ')})`}</Text> : null}
		</Text>
	);
}

export function WebhookForm({mode, initial, knownSecrets, secretPlaceholder, busy, error, onSubmit, onCancel}: WebhookFormProps) {
	const fields = mode === 'create' ? createFields : editFields;
	const context = useMemo(() => ({mode, knownSecrets}), [mode, knownSecrets]);
	const form = useFormFields(fields, initial, context);

	useAction(
		'form',
		action => {
			const options = choices[form.focus];
			switch (action) {
				case 'cancel': return onCancel();
				case 'save': {
					const values = form.trySubmit();
					if (values) onSubmit(values);
					return;
				}
				case 'next-field': return form.focusNext(1);
				case 'previous-field': return form.focusNext(-1);
				case 'choose-next':
				case 'choose-previous': {
					// On a text field ←→ move its cursor (TextField), and a space is typed.
					if (!options) return;
					const index = options.indexOf(form.values[form.focus]);
					const next = options[(index + (action === 'choose-previous' ? -1 : 1) + options.length) % options.length];
					if (next) form.set(form.focus, next);
					return;
				}
				default: return undefined;
			}
		},
		!busy,
	);

	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} flexShrink={1} overflowY="hidden">
			<Box flexShrink={0}>
				<Text bold wrap="truncate-end">
					{mode === 'create' ? 'New webhook' : `Edit webhook ${initial.name}`}
				</Text>
			</Box>
			{fields.map(field => {
				const focused = form.focus === field && !busy;
				const fieldOptions = choices[field];
				return (
					<Box key={field} flexDirection="column" flexShrink={0}>
						<Box>
							<Box width={13} flexShrink={0}>
								<Text color={focused ? 'cyan' : undefined}>{`${focused ? '❯' : ' '} ${labels[field]}`}</Text>
							</Box>
							{fieldOptions ? (
								<Choice options={fieldOptions} value={form.values[field]} focused={focused} />
							) : (
								<TextField
									value={form.values[field]}
									focused={focused}
									mask={field === 'secret' ? '•' : undefined}
									placeholder={field === 'secret' ? secretPlaceholder : field === 'filter' ? '(none: every event)' : undefined}
									onChange={value => form.set(field, value)}
								/>
							)}
						</Box>
						<Note
							error={form.submitted || form.values[field] !== initial[field] ? form.notes.errors[field] : undefined}
							warning={form.notes.warnings[field]}
							info={field === 'secret' && form.values.secret && form.values.secret === knownSecrets[0] ? 'the configured secret, which the listener verifies' : undefined}
						/>
					</Box>
				);
			})}
			{busy ? <Busy label={busy} /> : null}
			{error && !busy ? <ErrorBox error={error} title={errorTitle(error)} /> : null}
		</Box>
	);
}
