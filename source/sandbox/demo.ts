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

export function seedDemo(sandbox: Sandbox): DemoWorld {
	const bot = sandbox.createPerson({displayName: 'globobot', email: 'globobot@webex.bot', type: 'bot'});
	const alice = sandbox.createPerson({displayName: 'Alice Admin', email: 'alice@globomantics.com'});
	const bob = sandbox.createPerson({displayName: 'Bob Teller', email: 'bob@globomantics.com'});
	const opsRoom = sandbox.createRoom({title: 'Globomantics Ops', memberIds: [alice.person.id, bob.person.id, bot.person.id]});
	const aliceDirect = sandbox.directRoom(alice.person.id, bot.person.id);
	const bobDirect = sandbox.directRoom(bob.person.id, bot.person.id);
	return {bot, alice, bob, opsRoom, aliceDirect, bobDirect};
}
