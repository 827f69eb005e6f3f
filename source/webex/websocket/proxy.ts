// HTTPS_PROXY: banks reach the internet through a CONNECT proxy. This agent
// carries the websocket upgrade (`ws`'s `agent`); the REST calls take the same
// proxy through undici (../dispatcher.ts). https-proxy-agent tunnels ws://
// targets through CONNECT as well, so a sandbox rehearsal takes the same path.
import type {Agent} from 'node:http';
import {HttpsProxyAgent} from 'https-proxy-agent';

/** An agent tunnelling through `proxyUrl` (http:// or https://), or undefined when none is configured. */
export function proxyAgent(proxyUrl: string | undefined): Agent | undefined {
	return proxyUrl ? new HttpsProxyAgent(proxyUrl, {keepAlive: true}) : undefined;
}
