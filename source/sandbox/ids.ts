// Webex IDs are opaque to clients, but Webex mints them as unpadded base64url
// of `ciscospark://us/<TYPE>/<uuid>`; minting ours the same way lets clients
// meet realistic values (length, alphabet) in every test.
import {randomUUID} from 'node:crypto';

export type IdType = 'PEOPLE' | 'ROOM' | 'MESSAGE' | 'WEBHOOK' | 'MEMBERSHIP' | 'ORGANIZATION' | 'APPLICATION' | 'CONTENT';

export function encodeId(type: IdType, uuid: string): string {
	return Buffer.from(`ciscospark://us/${type}/${uuid}`).toString('base64url');
}

export function mintId(type: IdType): string {
	return encodeId(type, randomUUID());
}

/** The uuid part of an id minted here, or undefined for anything else. */
export function uuidOf(id: string): string | undefined {
	const decoded = Buffer.from(id, 'base64url').toString();
	return /^ciscospark:\/\/us\/[A-Z_]+\/(.+)$/.exec(decoded)?.[1];
}

/** Webex names a membership after the person and the room it joins. */
export function membershipId(personId: string, roomId: string): string {
	return encodeId('MEMBERSHIP', `${uuidOf(personId)}:${uuidOf(roomId)}`);
}
