// The connections every Webex call travels on: an undici pool of keep-alive
// sockets of the client's own, or, with HTTPS_PROXY, tunnels through the
// proxy. undici rather than node-fetch because the Webex calls are the
// listener's hot path: per request, node-fetch's WHATWG layers (Headers, a
// stream pipeline, a DOMException on every response) cost about four times
// undici's own request (see the README's Performance section).
import {Agent, ProxyAgent, type Dispatcher} from 'undici';

/** Sockets per origin at most; a call beyond them waits for one (counted in its timeout). */
export const defaultMaxSockets = 64;

/**
 * Idle sockets are closed after this long, below the 5 s idle timeout of Node
 * servers and common proxies, so a call rarely picks a socket the other end is
 * closing (that shows up as a reset: reads retry, sends reconcile).
 */
const idleMs = 4000;

export interface DispatcherOptions {
	maxSockets?: number;
	/** HTTPS_PROXY: every call goes through a CONNECT tunnel, http:// targets included (a sandbox rehearsal takes the same path). */
	proxyUrl?: string;
}

export function webexDispatcher(options: DispatcherOptions = {}): Dispatcher {
	const pool = {connections: options.maxSockets ?? defaultMaxSockets, keepAliveTimeout: idleMs, keepAliveMaxTimeout: idleMs};
	return options.proxyUrl ? new ProxyAgent({uri: options.proxyUrl, proxyTunnel: true, ...pool}) : new Agent(pool);
}
