// The keys of the current screen, from the keymap: as many as fit on one
// line, and always the essential ones (quit, help, chat, save, cancel).
import {footerHints, type Scope} from '../keymap.js';
import {Box} from './Box.js';
import {Text} from './Text.js';

// In the chat every key but Ctrl-C is typed: the footer says how to quit from there.
const chatQuit = {key: 'Ctrl-C', action: 'quit'};
const chatQuitWidth = chatQuit.key.length + 1 + chatQuit.action.length + 2;

export function Footer({scope, width, chat = false}: {scope: Scope; width: number; chat?: boolean}) {
	const hints = scope === 'chat' ? [...footerHints('chat', width - chatQuitWidth, {chat}), chatQuit] : footerHints(scope, width, {chat});
	return (
		<Box flexShrink={0}>
			<Text wrap="truncate-end">
				{hints.map(({key, action}, index) => (
					<Text key={key}>
						{index > 0 ? '  ' : ''}
						<Text bold color="cyan">
							{key}
						</Text>{' '}
						<Text dimColor>{action}</Text>
					</Text>
				))}
			</Text>
		</Box>
	);
}
