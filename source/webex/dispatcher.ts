// The connections every Webex call travels on: an undici pool of keep-alive
// sockets of the client's own, or, with HTTPS_PROXY, tunnels through the
// proxy for every host that NO_PROXY does not name. undici rather than node-fetch because the Webex calls are the
// listener's hot path: per request, node-fetch's WHATWG layers (Headers, a
// stream pipeline, a DOMException on every response) cost about four times
// undici's own request (see the README's Performance section).
import {Agent, EnvHttpProxyAgent, type Dispatcher} from 'undici';

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
	/** NO_PROXY: the hosts reached directly even so (noProxy.ts has the rules). */
	noProxy?: string;
}

export function webexDispatcher(options: DispatcherOptions = {}): Dispatcher {
	const pool = {connections: options.maxSockets ?? defaultMaxSockets, keepAliveTimeout: idleMs, keepAliveMaxTimeout: idleMs};
	if (!options.proxyUrl) return new Agent(pool);
	// Every value given, so that undici never falls back to this process's own environment.
	return new EnvHttpProxyAgent({httpProxy: options.proxyUrl, httpsProxy: options.proxyUrl, noProxy: options.noProxy ?? '', proxyTunnel: true, ...pool});
}
