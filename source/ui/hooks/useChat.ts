// The demo chat's connection to the sandbox: the messages of the demo rooms as
// they are created (the people's and the bot's), and posting as the chosen
// person in the chosen room. Message text stays on screen: nothing is logged.
import {useCallback, useEffect, useMemo, useState} from 'react';
import type {DemoWorld} from '../../sandbox/demo.js';
import type {Sandbox, SandboxIdentity, SandboxMessage, SandboxRoom} from '../../sandbox/types.js';
import {chatLines, composeMessage, roomLabel, type ChatLine} from '../chat.js';
import {describeError} from '../format.js';

/** Messages kept in memory; the pane shows the last few of the current room. */
const keptMessages = 500;

export type ChatRoomKind = 'group' | 'direct';

export interface ChatState {
	/** "Chat as Alice Admin in Globomantics Ops". */
	title: string;
	lines: ChatLine[];
	/** What an empty input suggests typing. */
	placeholder: string;
	draft: string;
	setDraft(value: string): void;
	/** Posts the draft as the current person; an empty draft does nothing. */
	submit(): void;
	/** A send in flight. */
	sending: boolean;
	/** Why the last send failed; cleared by the next one. */
	error?: string;
	nextPerson(): void;
	nextRoom(): void;
}

function peopleOf(world: DemoWorld): Array<{who: SandboxIdentity; direct: SandboxRoom}> {
	return [
		{who: world.alice, direct: world.aliceDirect},
		{who: world.bob, direct: world.bobDirect},
	];
}

/** The demo rooms' messages so far, then each new one as it is created. */
function useRoomMessages(sandbox: Sandbox, roomIds: ReadonlySet<string>): SandboxMessage[] {
	const [messages, setMessages] = useState<SandboxMessage[]>([]);
	useEffect(() => {
		const wanted = (message: SandboxMessage) => roomIds.has(message.roomId);
		// Subscribe before reading what exists: nothing runs in between, so nothing is missed.
		const unsubscribe = sandbox.onMessage(message => {
			if (!wanted(message)) return;
			setMessages(previous => (previous.some(known => known.id === message.id) ? previous : [...previous, message].slice(-keptMessages)));
		});
		setMessages(sandbox.messages().filter(wanted).slice(-keptMessages));
		return unsubscribe;
	}, [sandbox, roomIds]);
	return messages;
}

export function useChat(sandbox: Sandbox, world: DemoWorld): ChatState {
	const people = useMemo(() => peopleOf(world), [world]);
	const roomIds = useMemo(() => new Set([world.opsRoom.id, world.aliceDirect.id, world.bobDirect.id]), [world]);
	const names = useMemo(() => new Map([world.bot, world.alice, world.bob].map(({person}) => [person.id, person.displayName])), [world]);
	const messages = useRoomMessages(sandbox, roomIds);
	const [personIndex, setPersonIndex] = useState(0);
	const [roomKind, setRoomKind] = useState<ChatRoomKind>('group');
	const [draft, setDraft] = useState('');
	const [sending, setSending] = useState(false);
	const [error, setError] = useState<string>();

	const {who, direct} = people[personIndex % people.length]!;
	const room = roomKind === 'group' ? world.opsRoom : direct;
	const bot = world.bot.person;
	const lines = useMemo(() => chatLines(messages, {room, direct, names, botId: bot.id}), [messages, room, direct, names, bot.id]);

	const submit = useCallback(() => {
		if (sending || draft.trim() === '') return;
		setSending(true);
		setError(undefined);
		sandbox
			.sendMessage(who.token, {roomId: room.id, ...composeMessage(draft.trim(), bot)})
			.then(
				() => setDraft(''),
				(failure: unknown) => setError(describeError(failure).message),
			)
			.finally(() => setSending(false));
	}, [sandbox, who.token, room.id, bot, draft, sending]);

	const nextPerson = useCallback(() => {
		setPersonIndex(index => (index + 1) % people.length);
		setError(undefined);
	}, [people.length]);

	const nextRoom = useCallback(() => {
		setRoomKind(kind => (kind === 'group' ? 'direct' : 'group'));
		setError(undefined);
	}, []);

	return {
		title: `Chat as ${who.person.displayName} in ${roomLabel(room, bot.displayName)}`,
		lines,
		// "e.g." so that an empty input never looks like an unsent message.
		placeholder: roomKind === 'group' ? `e.g. @${bot.displayName} what is the balance for acct100?` : 'e.g. what is the balance for acct100?',
		draft,
		setDraft,
		submit,
		sending,
		error,
		nextPerson,
		nextRoom,
	};
}
