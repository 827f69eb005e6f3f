// Every key, on one screen.
import {Box, Text} from 'ink';

const keys: Array<[string, string]> = [
	['↑ ↓  j k', 'move in the webhook list'],
	['PgUp PgDn', 'a page up / down'],
	['Home End  g G', 'first / last webhook'],
	['Enter', 'details of the selected webhook (secret hidden)'],
	['n', 'new webhook (defaults: this listener, messages:created, mentionedPeople=me)'],
	['e', 'edit name, target URL or secret'],
	['a', 'reactivate an inactive webhook'],
	['d', 'delete (y confirms, any other key cancels)'],
	['r', 'reload every page of webhooks'],
	['Tab', 'focus the activity pane (↑↓ scroll, Tab or Esc back)'],
	['c', 'focus the chat pane, when there is one (Esc back)'],
	['?', 'this help'],
	['q  Ctrl-C', 'quit (stops the listener gracefully)'],
];

export function HelpOverlay({chat = false}: {chat?: boolean}) {
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
			<Text bold>Keys</Text>
			{keys
				.filter(([key]) => chat || key !== 'c')
				.map(([key, meaning]) => (
					<Box key={key}>
						<Box width={16} flexShrink={0}>
							<Text color="cyan">{key}</Text>
						</Box>
						<Text wrap="truncate-end">{meaning}</Text>
					</Box>
				))}
			<Text dimColor>Press any key to close.</Text>
		</Box>
	);
}
