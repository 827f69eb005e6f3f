// The demo chat: the last messages of the chosen room (and, beside a group
// room, the person's direct messages with the bot), and a line to type in.
// A view: it draws what it is given and calls back; useChat does the talking.
import {Box} from './Box.js';
import {Text} from './Text.js';
import type {ChatLine} from '../chat.js';
import {useAction} from '../hooks/useKeys.js';
import {footerHints} from '../keymap.js';
import {TextField} from './TextField.js';
import type {ChatPaneProps} from '../model.js';

export interface ChatPaneViewProps extends ChatPaneProps {
	/** "Chat as Alice Admin in Globomantics Ops". */
	title: string;
	lines: readonly ChatLine[];
	draft: string;
	placeholder: string;
	sending: boolean;
	error?: string;
	onDraftChange(value: string): void;
	onSubmit(): void;
	onNextPerson(): void;
	onNextRoom(): void;
}

// The text field types every other key into the draft; Tab and ↑↓ switch person and room (keymap.ts, scope chat).
const hint = footerHints('chat', Number.POSITIVE_INFINITY)
	.map(({key, action}) => `${key} ${action}`)
	.join('  ');

function Line({line}: {line: ChatLine}) {
	return (
		<Text>
			{line.inThread ? <Text dimColor>↳ </Text> : null}
			{line.via ? <Text color="magenta">{`→ ${line.via} `}</Text> : null}
			{line.sender ? <Text color={line.fromBot ? 'green' : 'cyan'} bold>{`${line.sender}: `}</Text> : <Text>{'  '}</Text>}
			{line.text}
		</Text>
	);
}

function Status({sending, error, focused}: {sending: boolean; error?: string; focused: boolean}) {
	if (error) return <Text color="red" wrap="truncate-end">{`✘ Not sent: ${error}`}</Text>;
	if (sending) return <Text dimColor>Sending…</Text>;
	return <Text dimColor wrap="truncate-end">{focused ? hint : 'c to chat'}</Text>;
}

export function ChatPane({focused, height, onLeave, title, lines, draft, placeholder, sending, error, onDraftChange, onSubmit, onNextPerson, onNextRoom}: ChatPaneViewProps) {
	// Title, input and status take three rows: messages get height - 2, level with the activity pane's title + height.
	const messageRows = Math.max(1, height - 2);
	const visible = lines.slice(-messageRows);

	useAction(
		'chat',
		action => {
			if (action === 'leave') onLeave();
			else if (action === 'send') onSubmit();
			else if (action === 'next-person') onNextPerson();
			else if (action === 'next-room') onNextRoom();
		},
		focused,
	);

	return (
		<Box flexDirection="column" flexGrow={1} flexBasis={0} borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1}>
			<Text bold wrap="truncate-end">
				{title}
			</Text>
			{/* Long messages wrap; the newest stay at the bottom and the oldest rows are cut at the top. */}
			<Box flexDirection="column" height={messageRows} overflowY="hidden" justifyContent="flex-end">
				{visible.length === 0 ? (
					<Text dimColor>No messages yet.</Text>
				) : (
					visible.map(line => (
						<Box key={line.key} flexShrink={0}>
							<Line line={line} />
						</Box>
					))
				)}
			</Box>
			<Box>
				<Box width={2} flexShrink={0}>
					<Text color={focused ? 'cyan' : 'gray'}>›</Text>
				</Box>
				{/* A long draft wraps; the placeholder is only a hint and keeps to one row. */}
				<Box flexGrow={1} overflowY="hidden" {...(draft ? {} : {height: 1})}>
					<TextField value={draft} placeholder={focused ? placeholder : ''} focused={focused} onChange={onDraftChange} />
				</Box>
			</Box>
			<Status sending={sending} error={error} focused={focused} />
		</Box>
	);
}
