// The main keys of the current screen, always visible.
import {Box, Text} from 'ink';

export type FooterMode = 'list' | 'detail' | 'form' | 'activity' | 'chat' | 'help' | 'confirm' | 'quitting';

const hints: Record<FooterMode, Array<[string, string]>> = {
	list: [
		['↑↓/jk', 'move'],
		['Enter', 'detail'],
		['n', 'new'],
		['e', 'edit'],
		['a', 'reactivate'],
		['d', 'delete'],
		['r', 'refresh'],
		['Tab', 'activity'],
		['?', 'help'],
		['q', 'quit'],
	],
	detail: [
		['Esc', 'back'],
		['e', 'edit'],
		['a', 'reactivate'],
		['d', 'delete'],
		['q', 'quit'],
	],
	form: [
		['↑↓/Tab', 'field'],
		['←→', 'choose'],
		['Enter', 'save'],
		['Esc', 'cancel'],
	],
	activity: [
		['↑↓', 'scroll'],
		['Tab/Esc', 'webhooks'],
		['?', 'help'],
		['q', 'quit'],
	],
	chat: [
		['Esc', 'leave chat'],
		['Ctrl-C', 'quit'],
	],
	help: [['any key', 'close']],
	confirm: [
		['y', 'confirm'],
		['any other key', 'cancel'],
	],
	quitting: [],
};

export function Footer({mode, chat = false}: {mode: FooterMode; chat?: boolean}) {
	const keys = mode === 'list' && chat ? [...hints.list.slice(0, -2), ['c', 'chat'] as [string, string], ...hints.list.slice(-2)] : hints[mode];
	return (
		<Box>
			<Text wrap="truncate-end">
				{keys.map(([key, action], index) => (
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
