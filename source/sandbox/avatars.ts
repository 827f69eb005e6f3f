// Webex people have an avatar URL; the sandbox serves a small initials badge
// there so the URL it hands out leads somewhere.
import type {Context} from 'koa';
import {encodeId} from './ids.js';
import type {SandboxState} from './state.js';

export function serveAvatar(state: SandboxState, ctx: Context, uuid: string): void {
	const person = state.person(encodeId('PEOPLE', uuid));
	if (!person) return;
	const initials = person.displayName
		.split(/\s+/)
		.map(word => word[0] ?? '')
		.join('')
		.slice(0, 2)
		.toUpperCase()
		.replace(/[^A-Z0-9]/g, '');
	ctx.type = 'image/svg+xml';
	ctx.body = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80"><circle cx="40" cy="40" r="40" fill="#07c1e4"/><text x="40" y="52" font-size="32" text-anchor="middle" fill="#fff" font-family="sans-serif">${initials}</text></svg>`;
}
