// Shown instead of the list when Webex rejects the token at start (401).
import {Box} from './Box.js';
import {Text} from './Text.js';
import type {UiError} from '../format.js';

export function TokenHelp({apiUrl, error}: {apiUrl: string; error?: UiError}) {
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1}>
			<Text bold color="red">
				The API at {apiUrl} rejected the bot token ({error?.status ?? 401}).
			</Text>
			{error?.trackingId ? <Text dimColor>{`trackingId ${error.trackingId}`}</Text> : null}
			<Text> </Text>
			<Text>To use your Webex bot:</Text>
			<Text>  1. Create a bot at https://developer.webex.com/my-apps/new/bot and copy its access token.</Text>
			<Text>
				{'  2. '}
				<Text color="cyan">export WEBEX_TOKEN=&lt;the bot token&gt;</Text> and{' '}
				<Text color="cyan">export PUBLIC_URL=https://&lt;where Webex can reach this machine&gt;</Text>
			</Text>
			<Text>  3. Run globobot-admin again.</Text>
			<Text> </Text>
			<Text>
				To try globobot without a Webex account: <Text color="cyan">unset WEBEX_TOKEN</Text> and run{' '}
				<Text color="cyan">npm start</Text>, or run <Text color="cyan">globobot-admin --sandbox</Text>.
			</Text>
			<Text> </Text>
			<Text dimColor>Press q to quit.</Text>
		</Box>
	);
}
