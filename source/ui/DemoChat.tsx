// The chat pane of the offline demo: useChat bound to the demo's sandbox and
// people, drawn by ChatPane. The App only knows ChatPaneProps.
import type {ComponentType} from 'react';
import type {DemoWorld} from '../sandbox/demo.js';
import type {Sandbox} from '../sandbox/types.js';
import {ChatPane} from './components/ChatPane.js';
import {useChat} from './hooks/useChat.js';
import type {ChatPaneProps} from './model.js';

export function demoChat(sandbox: Sandbox, world: DemoWorld): ComponentType<ChatPaneProps> {
	return function DemoChat(props: ChatPaneProps) {
		const chat = useChat(sandbox, world);
		return (
			<ChatPane
				{...props}
				title={chat.title}
				lines={chat.lines}
				draft={chat.draft}
				placeholder={chat.placeholder}
				sending={chat.sending}
				error={chat.error}
				onDraftChange={chat.setDraft}
				onSubmit={chat.submit}
				onNextPerson={chat.nextPerson}
				onNextRoom={chat.nextRoom}
			/>
		);
	};
}
