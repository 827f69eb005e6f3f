// A small form of text fields (the Access screen's add form and check prompt):
// ↑↓ Tab between fields, Enter submits from any field, Esc cancels. Each
// problem is written under its field, from the first submit on, or once the
// field is left with something in it.
import {useState, type ReactNode} from 'react';
import {useAction} from '../hooks/useKeys.js';
import type {Scope} from '../keymap.js';
import {Box} from './Box.js';
import {Busy} from './Busy.js';
import {Text} from './Text.js';
import {TextField} from './TextField.js';

export interface PromptField<K extends string> {
	key: K;
	label: string;
	placeholder?: string;
}

export interface PromptFormProps<K extends string> {
	title: string;
	fields: ReadonlyArray<PromptField<K>>;
	/** Its footer's scope: save, cancel and the field moves are read through it. */
	scope: Scope;
	initial?: Partial<Record<K, string>>;
	/** The problem of each field, or none. */
	check(values: Record<K, string>): Partial<Record<K, string>>;
	/** Only called with values that `check` found no problem in. */
	onSubmit(values: Record<K, string>): void;
	onCancel(): void;
	/** Label of the call in flight: the form waits meanwhile. */
	busy?: string;
	/** Drawn under the fields (a failure, results). */
	children?: ReactNode;
}

export function PromptForm<K extends string>({title, fields, scope, initial, check, onSubmit, onCancel, busy, children}: PromptFormProps<K>) {
	const [values, setValues] = useState(() => Object.fromEntries(fields.map(field => [field.key, initial?.[field.key] ?? ''])) as Record<K, string>);
	const [focus, setFocus] = useState(0);
	const [submitted, setSubmitted] = useState(false);
	const [left, setLeft] = useState<ReadonlySet<K>>(new Set());
	const problems = check(values);

	const move = (step: 1 | -1) => {
		const from = fields[focus];
		if (from) setLeft(current => new Set([...current, from.key]));
		setFocus(current => (current + step + fields.length) % fields.length);
	};

	useAction(
		scope,
		action => {
			switch (action) {
				case 'cancel': return onCancel();
				case 'next-field': return move(1);
				case 'previous-field': return move(-1);
				case 'save': {
					setSubmitted(true);
					const wrong = fields.findIndex(field => problems[field.key]);
					if (wrong === -1) onSubmit(values);
					else setFocus(wrong);
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
					{title}
				</Text>
			</Box>
			{fields.map((field, index) => {
				const focused = index === focus && !busy;
				const value = values[field.key];
				const problem = submitted || (left.has(field.key) && value !== '' && index !== focus) ? problems[field.key] : undefined;
				return (
					<Box key={field.key} flexDirection="column" flexShrink={0}>
						<Box>
							<Box width={11} flexShrink={0}>
								<Text color={focused ? 'cyan' : undefined}>{`${focused ? '❯' : ' '} ${field.label}`}</Text>
							</Box>
							<Box flexGrow={1} flexShrink={1} flexBasis={0} overflow="hidden">
								<Text wrap="truncate-start">
									<TextField value={value} focused={focused} placeholder={field.placeholder} onChange={next => setValues(current => ({...current, [field.key]: next}))} />
								</Text>
							</Box>
						</Box>
						{problem ? (
							<Box paddingLeft={2}>
								<Text color="red" wrap="wrap">{`✘ ${problem}`}</Text>
							</Box>
						) : null}
					</Box>
				);
			})}
			{busy ? <Busy label={busy} /> : null}
			{children}
		</Box>
	);
}
