// Create or edit a webhook. Enter saves from any field, Esc cancels; each
// problem is written next to its field.
import {Box, Text} from 'ink';
import TextInput from 'ink-text-input';
import {useMemo} from 'react';
import type {UiError} from '../format.js';
import {useFormFields} from '../hooks/useFormFields.js';
import {useInteractive, useKeys} from '../hooks/useKeys.js';
import type {WebhookField, WebhookFormValues} from '../validate.js';
import {Busy} from './Busy.js';
import {ErrorBox} from './ErrorBox.js';

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
	if (error) return <Text color="red">{`  ✘ ${error}`}</Text>;
	if (warning) return <Text color="yellow">{`  ⚠ ${warning}`}</Text>;
	if (info) return <Text dimColor>{`  ${info}`}</Text>;
	return null;
}

function Choice({options, value, focused}: {options: readonly string[]; value: string; focused: boolean}) {
	return (
		<Text>
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
	const interactive = useInteractive();

	useKeys((input, key) => {
		if (key.escape) {
			onCancel();
			return;
		}
		if (key.return) {
			const values = form.trySubmit();
			if (values) onSubmit(values);
			return;
		}
		if (key.downArrow || (key.tab && !key.shift)) form.focusNext(1);
		else if (key.upArrow || (key.tab && key.shift)) form.focusNext(-1);
		const options = choices[form.focus];
		if (options && (key.leftArrow || key.rightArrow || input === ' ')) {
			const index = options.indexOf(form.values[form.focus]);
			const next = options[(index + (key.leftArrow ? -1 : 1) + options.length) % options.length];
			if (next) form.set(form.focus, next);
		}
	}, !busy);

	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
			<Text bold>{mode === 'create' ? 'New webhook' : `Edit webhook ${initial.name}`}</Text>
			{fields.map(field => {
				const focused = form.focus === field && !busy;
				const fieldOptions = choices[field];
				return (
					<Box key={field} flexDirection="column">
						<Box>
							<Box width={13} flexShrink={0}>
								<Text color={focused ? 'cyan' : undefined}>{`${focused ? '❯' : ' '} ${labels[field]}`}</Text>
							</Box>
							{fieldOptions ? (
								<Choice options={fieldOptions} value={form.values[field]} focused={focused} />
							) : (
								<TextInput
									value={form.values[field]}
									focus={focused && interactive}
									mask={field === 'secret' ? '•' : undefined}
									placeholder={field === 'secret' ? secretPlaceholder : field === 'filter' ? '(none: every event)' : undefined}
									showCursor={focused}
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
			{error && !busy ? <ErrorBox error={error} title="Webex refused" /> : null}
		</Box>
	);
}
