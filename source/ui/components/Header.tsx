// The top lines: who the bot is, which API, the embedded listener and its
// counters, the database. Everything here is safe to show on a shared screen.
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {ListenerCounters} from '../model.js';
import type {UiError} from '../format.js';

export interface HeaderProps {
	bot?: {displayName: string; email: string};
	botLoading: boolean;
	api: {kind: 'webex' | 'sandbox'; url: string};
	listener: {status: 'off' | 'starting' | 'running' | 'failed'; url?: string; error?: UiError};
	counters?: ListenerCounters;
	database?: string;
	notice?: string;
}

function BotName({bot, loading}: Pick<HeaderProps, 'bot'> & {loading: boolean}) {
	if (bot) {
		return (
			<Text>
				<Text bold>{bot.displayName}</Text> <Text dimColor>&lt;{bot.email}&gt;</Text>
			</Text>
		);
	}
	if (loading) {
		return (
			<Text>
				<Spinner /> who am I…
			</Text>
		);
	}
	return <Text color="red">bot unknown</Text>;
}

function ListenerState({listener, counters}: Pick<HeaderProps, 'listener' | 'counters'>) {
	switch (listener.status) {
		case 'off': {
			return <Text dimColor>listener off (--no-listener)</Text>;
		}
		case 'starting': {
			return (
				<Text>
					<Spinner /> starting listener…
				</Text>
			);
		}
		case 'failed': {
			return <Text color="red">listener failed: {listener.error?.message ?? 'unknown error'}</Text>;
		}
		default: {
			return (
				<Text>
					listener <Text color="cyan">{listener.url}</Text> · received <Text bold>{counters?.received ?? 0}</Text> replied{' '}
					<Text bold color="green">
						{counters?.replied ?? 0}
					</Text>{' '}
					rejected{' '}
					<Text bold color={counters?.rejected ? 'red' : undefined}>
						{counters?.rejected ?? 0}
					</Text>
				</Text>
			);
		}
	}
}

export function Header({bot, botLoading, api, listener, counters, database, notice}: HeaderProps) {
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				<Text bold color="magenta">
					globobot-admin
				</Text>{' '}
				· <BotName bot={bot} loading={botLoading} /> · API{' '}
				<Text color={api.kind === 'sandbox' ? 'yellow' : 'green'}>{api.kind === 'sandbox' ? 'sandbox' : 'Webex'}</Text> <Text dimColor>{api.url}</Text>
			</Text>
			<Text wrap="truncate-end">
				<ListenerState listener={listener} counters={counters} /> · db <Text dimColor>{database ?? 'unknown'}</Text>
			</Text>
			{notice ? (
				<Text color="yellow" wrap="truncate-end">
					{notice}
				</Text>
			) : null}
		</Box>
	);
}
