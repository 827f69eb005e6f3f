// Keep-alive connections to Webex, in a pool of the client's own. Without an
// agent node-fetch uses Node's global agent: keep-alive since Node 19, but
// unbounded (a burst of replies opens a socket each, and keeps them) and
// shared with everything else in the process. One pool per client, per
// protocol, sized for the calls that can be in flight at once
// (GLOBOBOT_CONCURRENCY replies, each making one call at a time).
import http from 'node:http';
import https from 'node:https';

/** Sockets per host at most; a call beyond them waits for one (counted in its timeout). */
export const defaultMaxSockets = 64;

/**
 * Idle sockets are closed after this long, below the 5 s idle timeout of Node
 * servers and common proxies, so a call rarely picks a socket the other end is
 * closing (that shows up as a reset: reads retry, sends reconcile).
 */
const idleMs = 4000;

export type AgentForUrl = (url: URL) => http.Agent;

/** An `agent` option for node-fetch: a keep-alive http or https agent, by the URL's protocol. Idle sockets do not keep the process alive. */
export function keepAliveAgents(maxSockets = defaultMaxSockets): AgentForUrl {
	const options = {keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const, timeout: idleMs};
	let plain: http.Agent | undefined;
	let secure: https.Agent | undefined;
	return url => (url.protocol === 'https:' ? (secure ??= new https.Agent(options)) : (plain ??= new http.Agent(options)));
}
