// A failure shown where it happened: Webex's message, its status and the
// trackingId that Webex support asks for.
import {Box} from './Box.js';
import {Text} from './Text.js';
import type {UiError} from '../format.js';

export function ErrorBox({error, title = 'Error'}: {error: UiError; title?: string}) {
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1}>
			<Text color="red" wrap="truncate-end">
				<Text bold>
					{title}
					{error.status ? ` (${error.status})` : ''}:
				</Text>{' '}
				{error.message}
			</Text>
			{error.trackingId ? <Text dimColor wrap="truncate-end">{`trackingId ${error.trackingId}`}</Text> : null}
		</Box>
	);
}
