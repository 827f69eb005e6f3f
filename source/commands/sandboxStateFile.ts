// `globobot-admin sandbox --state FILE`: the sandbox's people, tokens and
// rooms kept in a file, so a rehearsal survives a restart (the same tokens in
// WEBEX_TOKEN, the same room ids), and so `sandbox say` can post as anyone in
// it. The file holds tokens: it is written owner-only (0600), replaced
// atomically, and never printed. Only the people and rooms are kept; messages
// and webhooks live in the sandbox's memory and start empty each time.
import {chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {DemoIds, DemoWorld} from '../sandbox/demo.js';
import {safeText} from '../terminal/safeText.js';
import {CommandError} from './run.js';

export interface SavedPerson {
	email: string;
	displayName: string;
	type: 'person' | 'bot';
	id: string;
	token: string;
}

export interface SavedRoom {
	id: string;
	title: string;
	type: 'direct' | 'group';
	/** Emails of its members. */
	members: string[];
}

export interface SandboxStateFile {
	version: 1;
	/** Where the sandbox answered when it last started (its API base, with /v1). */
	url: string;
	people: SavedPerson[];
	rooms: SavedRoom[];
	demo: DemoIds;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** The saved state, or undefined when the file does not exist yet. A file that is not one is a usage error. */
export function readSandboxState(file: string): SandboxStateFile | undefined {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw new CommandError(`cannot read the sandbox state ${safeText(file)}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, 2);
	}
	let parsed: Partial<SandboxStateFile>;
	try {
		parsed = JSON.parse(text) as Partial<SandboxStateFile>;
	} catch {
		throw new CommandError(`${safeText(file)} is not a sandbox state file (not JSON)`, 2);
	}
	const demo = parsed.demo;
	const identity = (value: unknown) => typeof value === 'object' && value !== null && isText((value as {id?: unknown}).id) && isText((value as {token?: unknown}).token);
	if (parsed.version !== 1 || !isText(parsed.url) || !Array.isArray(parsed.people) || !Array.isArray(parsed.rooms) || !demo || !identity(demo.bot) || !identity(demo.alice) || !identity(demo.bob) || !isText(demo.opsRoom) || !isText(demo.aliceDirect) || !isText(demo.bobDirect)) {
		throw new CommandError(`${safeText(file)} is not a sandbox state file (written by \`globobot-admin sandbox --state\`)`, 2);
	}
	return parsed as SandboxStateFile;
}

export function stateOf(url: string, world: DemoWorld, ids: DemoIds): SandboxStateFile {
	const people = [world.bot, world.alice, world.bob].map(({person, token}) => ({email: person.emails[0] ?? '', displayName: person.displayName, type: person.type, id: person.id, token}));
	const emailOf = (id: string) => people.find(person => person.id === id)?.email ?? id;
	const rooms: SavedRoom[] = [
		{id: world.opsRoom.id, title: world.opsRoom.title, type: 'group', members: [world.alice, world.bob, world.bot].map(({person}) => emailOf(person.id))},
		{id: world.aliceDirect.id, title: world.aliceDirect.title, type: 'direct', members: [world.alice, world.bot].map(({person}) => emailOf(person.id))},
		{id: world.bobDirect.id, title: world.bobDirect.title, type: 'direct', members: [world.bob, world.bot].map(({person}) => emailOf(person.id))},
	];
	return {version: 1, url, people, rooms, demo: ids};
}

/** Writes the state owner-only, replacing the file in one step (a reader never sees half of it). */
export function writeSandboxState(file: string, state: SandboxStateFile): void {
	const folder = path.dirname(path.resolve(file));
	mkdirSync(folder, {recursive: true, mode: 0o700});
	const temporary = path.join(folder, `.${path.basename(file)}.${process.pid}.tmp`);
	writeFileSync(temporary, JSON.stringify(state, null, 2) + '\n', {mode: 0o600});
	chmodSync(temporary, 0o600);
	renameSync(temporary, file);
}
