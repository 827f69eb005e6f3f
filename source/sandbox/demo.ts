// The demo world: globobot, two Globomantics people, their ops room, and each
// person's 1:1 room with the bot. Used by the offline demo and `globobot-admin sandbox`.
import type {Sandbox, SandboxIdentity, SandboxRoom} from './types.js';

export interface DemoWorld {
	bot: SandboxIdentity;
	alice: SandboxIdentity;
	bob: SandboxIdentity;
	/** "Globomantics Ops", with all three. */
	opsRoom: SandboxRoom;
	/** Each person's 1:1 room with the bot. */
	aliceDirect: SandboxRoom;
	bobDirect: SandboxRoom;
}

/** The ids and tokens of a demo world seeded before, to seed it again identically (a rehearsal across restarts). */
export interface DemoIds {
	bot: {id: string; token: string};
	alice: {id: string; token: string};
	bob: {id: string; token: string};
	opsRoom: string;
	aliceDirect: string;
	bobDirect: string;
}

export function seedDemo(sandbox: Sandbox, saved?: DemoIds): DemoWorld {
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot', ...saved?.bot});
	const alice = sandbox.createPerson({displayName: 'Alice Admin', email: 'alice@globomantics.com', ...saved?.alice});
	const bob = sandbox.createPerson({displayName: 'Bob Teller', email: 'bob@globomantics.com', ...saved?.bob});
	const opsRoom = sandbox.createRoom({title: 'Globomantics Ops', memberIds: [alice.person.id, bob.person.id, bot.person.id], ...(saved && {id: saved.opsRoom})});
	const aliceDirect = sandbox.createRoom({title: 'direct', type: 'direct', memberIds: [alice.person.id, bot.person.id], ...(saved && {id: saved.aliceDirect})});
	const bobDirect = sandbox.createRoom({title: 'direct', type: 'direct', memberIds: [bob.person.id, bot.person.id], ...(saved && {id: saved.bobDirect})});
	return {bot, alice, bob, opsRoom, aliceDirect, bobDirect};
}

/** What seedDemo needs to make the same world again. */
export function demoIdsOf(world: DemoWorld): DemoIds {
	const identity = ({person, token}: DemoWorld['bot']) => ({id: person.id, token});
	return {bot: identity(world.bot), alice: identity(world.alice), bob: identity(world.bob), opsRoom: world.opsRoom.id, aliceDirect: world.aliceDirect.id, bobDirect: world.bobDirect.id};
}
