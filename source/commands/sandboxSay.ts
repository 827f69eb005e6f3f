// `globobot-admin sandbox say --as EMAIL [--room NAME] "text"`: post as one of
// a running sandbox's people, the way their Webex client would, to rehearse
// without reading the sandbox's source. The sandbox must have been started
// with `--state FILE` (the same file here): that is where its URL and its
// people's tokens are. `@globobot` in the text becomes a real mention, so the
// bot sees it in a group room. Prints the new message's id (for `events show`
// and `webhooks test --message`), never a token.
import {composeMessage} from '../ui/chat.js';
import {processOutput, safeText, type Output} from './output.js';
import {CommandError} from './run.js';
import {readSandboxState, type SavedPerson, type SavedRoom} from './sandboxStateFile.js';

export type SayOptions = {
	as?: string;
	room?: string;
	text?: string;
	state?: string;
	json?: boolean;
};

export async function run(options: SayOptions, output: Output = processOutput()): Promise<number> {
	const out = (line: string) => output.out(line);
	const err = (line: string) => output.err(line);
	if (!options.state) throw new CommandError('--state FILE is required: the file the sandbox was started with (`globobot-admin sandbox --state FILE`)', 2);
	if (!options.as) throw new CommandError('--as EMAIL is required: who is speaking', 2);
	const text = options.text ?? '';
	if (text.trim() === '') throw new CommandError('say what? give the text to post', 2);
	const state = readSandboxState(options.state);
	if (!state) throw new CommandError(`no sandbox state at ${safeText(options.state)}: start the sandbox with \`globobot-admin sandbox --state ${safeText(options.state)}\``, 2);

	const wanted = options.as.trim().toLowerCase();
	const speaker = state.people.find(person => person.email.toLowerCase() === wanted);
	if (!speaker) throw new CommandError(`no sandbox person ${safeText(options.as)} (there are: ${state.people.map(person => safeText(person.email)).join(', ')})`, 2);
	const bot = state.people.find(person => person.type === 'bot');
	const room = options.room === undefined ? undefined : findRoom(state.rooms, speaker, options.room);

	const body = bot ? composeMessage(text, {id: bot.id, displayName: bot.displayName}) : {text};
	if (room?.type === 'group' && body.markdown === undefined) err(`note: the bot only sees group-room messages that mention it: start with @${bot?.displayName ?? 'globobot'}`);
	const destination = room ? {roomId: room.id} : bot && bot.id !== speaker.id ? {toPersonId: bot.id} : undefined;
	if (!destination) throw new CommandError('--room is required when the speaker is the bot', 2);

	let response: Response;
	try {
		response = await fetch(`${state.url}/messages`, {
			method: 'POST',
			headers: {authorization: `Bearer ${speaker.token}`, 'content-type': 'application/json'},
			body: JSON.stringify({...destination, ...body}),
			signal: AbortSignal.timeout(10_000),
		});
	} catch {
		throw new CommandError(`the sandbox at ${safeText(state.url)} does not answer: start it with \`globobot-admin sandbox --state ${safeText(options.state)}\``, 1);
	}
	const answer = (await response.json().catch(() => ({}))) as {id?: string; roomId?: string; message?: string};
	if (response.status === 401) throw new CommandError(`the sandbox at ${safeText(state.url)} does not know the tokens in ${safeText(options.state)}: it was started without this --state file`, 1);
	if (!response.ok || !answer.id) throw new CommandError(`the sandbox refused the message (${response.status}${answer.message ? `: ${safeText(answer.message)}` : ''})`, 1);
	const where = room ? `“${safeText(room.title)}”` : 'their direct room with the bot';
	if (options.json) output.json({id: answer.id, roomId: answer.roomId ?? room?.id ?? null, as: speaker.email, room: room?.title ?? null});
	else out(`posted ${safeText(answer.id)} as ${safeText(speaker.email)} in ${where}`);
	return 0;
}

/** A room the speaker is in, by title (case-insensitive). */
function findRoom(rooms: readonly SavedRoom[], speaker: SavedPerson, name: string): SavedRoom {
	const theirs = rooms.filter(room => room.members.some(member => member.toLowerCase() === speaker.email.toLowerCase()));
	const room = theirs.find(candidate => candidate.title.toLowerCase() === name.trim().toLowerCase());
	if (!room) throw new CommandError(`${safeText(speaker.email)} is in no room named ${safeText(name)} (their rooms: ${theirs.map(candidate => `“${safeText(candidate.title)}”`).join(', ')})`, 2);
	return room;
}
