// The top lines: who the bot is, which API, the listener's event sources and
// counters, the database. Everything here is safe to show on a shared screen;
// each line is cut at the terminal's edge, never wrapped.
import Spinner from 'ink-spinner';
import type {ListenerCounters, SourceStatus} from '../model.js';
import type {UiError} from '../format.js';
import {Box} from './Box.js';
import {Text} from './Text.js';

export interface HeaderProps {
	bot?: {displayName: string; email: string};
	botLoading: boolean;
	/** Why people/me failed, while it is retried. */
	botError?: UiError;
	api: {kind: 'webex' | 'sandbox'; url: string};
	listener: {status: 'off' | 'starting' | 'running' | 'failed'; sources?: readonly SourceStatus[]; error?: UiError};
	counters?: ListenerCounters;
	database?: string;
	notice?: string;
}

function BotName({bot, loading, error}: {bot?: HeaderProps['bot']; loading: boolean; error?: UiError}) {
	if (bot) {
		return (
			<Text>
				<Text bold>{bot.displayName}</Text> <Text dimColor>{`<${bot.email}>`}</Text>
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
	return <Text color="red">{error?.code === 'unreachable' || error?.code === 'unavailable' ? 'bot unknown (Webex not answering)' : 'bot unknown'}</Text>;
}

function Counters({counters}: {counters?: ListenerCounters}) {
	return (
		<Text>
			received <Text bold>{String(counters?.received ?? 0)}</Text> replied{' '}
			<Text bold color="green">
				{String(counters?.replied ?? 0)}
			</Text>{' '}
			rejected{' '}
			<Text bold color={counters?.rejected ? 'red' : undefined}>
				{String(counters?.rejected ?? 0)}
			</Text>
		</Text>
	);
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
			return <Text color="red">{`listener failed: ${listener.error?.message ?? 'unknown error'}`}</Text>;
		}
		default: {
			// The counters first: on a narrow terminal the line is cut at its end, and they matter most.
			return (
				<Text>
					<Counters counters={counters} />
					{(listener.sources ?? []).map(source => (
						<Text key={`${source.kind}:${source.summary}`}>
							{' · '}
							<Text color={source.live ? 'green' : 'red'}>{source.live ? '●' : '○'}</Text> <Text color="cyan">{source.summary}</Text>
						</Text>
					))}
				</Text>
			);
		}
	}
}

export function Header({bot, botLoading, botError, api, listener, counters, database, notice}: HeaderProps) {
	return (
		<Box flexDirection="column" flexShrink={0}>
			<Text wrap="truncate-end">
				<Text bold color="magenta">
					globobot-admin
				</Text>
				{' · '}
				<BotName bot={bot} loading={botLoading} error={botError} />
				{' · API '}
				<Text color={api.kind === 'sandbox' ? 'yellow' : 'green'}>{api.kind === 'sandbox' ? 'sandbox' : 'Webex'}</Text> <Text dimColor>{api.url}</Text>
			</Text>
			<Text wrap="truncate-end">
				<ListenerState listener={listener} counters={counters} />
				{' · db '}
				<Text dimColor>{database ?? 'unknown'}</Text>
			</Text>
			{notice ? (
				<Text color="yellow" wrap="truncate-end">
					{notice}
				</Text>
			) : null}
		</Box>
	);
}
