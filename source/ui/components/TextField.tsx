// A one-line text input: typing, ←→ Home End, Backspace, Ctrl-U/K/W. Enter,
// Tab, ↑↓ and Esc are left to the form or pane around it. Controls never get
// in (a paste of forty DELs deletes forty characters), and a value that
// already holds some is drawn with visible escapes.
import {useState} from 'react';
import {useKeys} from '../hooks/useKeys.js';
import {editLine} from '../lineEditor.js';
import {Text} from './Text.js';

export interface TextFieldProps {
	value: string;
	onChange(value: string): void;
	focused: boolean;
	placeholder?: string;
	/** Drawn instead of each character, e.g. • for a secret. */
	mask?: string;
}

export function TextField({value, onChange, focused, placeholder, mask}: TextFieldProps) {
	const [cursor, setCursor] = useState(() => [...value].length);
	const characters = [...value];
	const at = Math.min(cursor, characters.length);

	useKeys((input, key) => {
		const next = editLine({value, cursor: at}, {input, key});
		if (!next) return;
		setCursor(next.cursor);
		if (next.value !== value) onChange(next.value);
	}, focused);

	const shown = (character: string) => (mask ? mask : character);
	if (characters.length === 0) {
		return focused ? (
			<Text>
				<Text inverse>{placeholder?.[0] ?? ' '}</Text>
				<Text dimColor>{placeholder?.slice(1) ?? ''}</Text>
			</Text>
		) : (
			<Text dimColor>{placeholder ?? ''}</Text>
		);
	}
	if (!focused) return <Text>{characters.map(shown).join('')}</Text>;
	return (
		<Text>
			{characters.slice(0, at).map(shown).join('')}
			<Text inverse>{at < characters.length ? shown(characters[at]!) : ' '}</Text>
			{characters
				.slice(at + 1)
				.map(shown)
				.join('')}
		</Text>
	);
}
