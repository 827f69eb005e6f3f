// HTTPS_PROXY: banks reach the internet through a CONNECT proxy. One agent
// carries the REST calls (node-fetch's `agent`) and the websocket upgrade
// (`ws`'s `agent`) alike; https-proxy-agent tunnels http:// and ws:// targets
// through CONNECT as well, so a sandbox rehearsal exercises the same path.
import type {Agent} from 'node:http';
import {HttpsProxyAgent} from 'https-proxy-agent';

/** An agent tunnelling through `proxyUrl` (http:// or https://), or undefined when none is configured. */
export function proxyAgent(proxyUrl: string | undefined): Agent | undefined {
	return proxyUrl ? new HttpsProxyAgent(proxyUrl, {keepAlive: true}) : undefined;
}
