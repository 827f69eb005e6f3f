// The keys of one screen, as the keymap lists them.
import type {Hint} from '../keymap.js';
import {Box} from './Box.js';
import {Text} from './Text.js';

export function HelpOverlay({rows}: {rows: readonly Hint[]}) {
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} flexShrink={1} overflowY="hidden">
			<Box flexShrink={0}>
				<Text bold>Keys</Text>
			</Box>
			{rows.map(({key, action}) => (
				<Box key={key} flexShrink={0}>
					<Box width={16} flexShrink={0}>
						<Text color="cyan" wrap="truncate-end">
							{key}
						</Text>
					</Box>
					<Text wrap="truncate-end">{action}</Text>
				</Box>
			))}
		</Box>
	);
}
