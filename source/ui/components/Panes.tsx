// The activity pane and, in the demo, the chat pane beside it: they take the
// rows the screen above left (at least `minRows` of events), as measured.
import type {ComponentType} from 'react';
import {useMeasuredHeight} from '../hooks/useMeasuredHeight.js';
import type {ChatPaneProps, ListenerEvent} from '../model.js';
import {ActivityPane} from './ActivityPane.js';
import {Box} from './Box.js';

export interface PanesProps {
	events: readonly ListenerEvent[];
	ignoredSelf: number;
	activityFocused: boolean;
	scrollBack: number;
	listenerStatus: 'off' | 'starting' | 'running' | 'failed';
	/** Rows of events kept however tall the screen above is. */
	minRows: number;
	chat?: ComponentType<ChatPaneProps>;
	chatFocused: boolean;
	onLeaveChat(): void;
}

// A pane's border (2) and title (1) around its rows.
const chrome = 3;

export function Panes({events, ignoredSelf, activityFocused, scrollBack, listenerStatus, minRows, chat: Chat, chatFocused, onLeaveChat}: PanesProps) {
	const [ref, measured] = useMeasuredHeight(minRows + chrome);
	const rows = Math.max(1, measured - chrome);
	return (
		<Box ref={ref} flexGrow={1} flexShrink={0} flexBasis={minRows + chrome} overflowY="hidden">
			<ActivityPane events={events} ignoredSelf={ignoredSelf} height={rows} focused={activityFocused} scrollBack={scrollBack} listenerStatus={listenerStatus} />
			{Chat ? <Chat focused={chatFocused} height={rows} onLeave={onLeaveChat} /> : null}
		</Box>
	);
}
