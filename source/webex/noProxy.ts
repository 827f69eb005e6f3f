// NO_PROXY: hosts reached directly although HTTPS_PROXY is set — the sandbox
// on localhost, an internal mirror. Without it, a laptop whose shell exports
// a corporate proxy sends the local demo's calls to that proxy, which cannot
// reach them. The rules are curl's, as undici's EnvHttpProxyAgent applies them
// to the REST calls (dispatcher.ts); this copy decides for the websocket,
// which travels on a node:http agent instead.

interface Entry {
	hostname: string;
	/** 0: any port. */
	port: number;
}

const defaultPorts: Record<string, number> = {'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443};

/** NO_PROXY's entries: separated by commas or spaces, `host`, `.domain` or `*.domain`, each with an optional `:port`. */
function entriesOf(noProxy: string): Entry[] {
	return noProxy
		.split(/[,\s]/)
		.filter(Boolean)
		.map(entry => {
			const parsed = /^(.+):(\d+)$/.exec(entry);
			return {hostname: (parsed ? parsed[1]! : entry).replace(/^\*?\./, '').toLowerCase(), port: parsed ? Number.parseInt(parsed[2]!, 10) : 0};
		});
}

/** True when `url` is to be reached directly: NO_PROXY is `*`, or names its host (or a parent domain), on its port if one is given. */
export function bypassesProxy(url: string | URL, noProxy: string | undefined): boolean {
	if (!noProxy?.trim()) return false;
	if (noProxy.trim() === '*') return true;
	const target = typeof url === 'string' ? new URL(url) : url;
	// `host` rather than `hostname`: an IPv6 address keeps its brackets, as NO_PROXY writes it.
	const hostname = target.host.replace(/:\d*$/, '').toLowerCase();
	const port = Number.parseInt(target.port, 10) || defaultPorts[target.protocol] || 0;
	return entriesOf(noProxy).some(entry => (!entry.port || entry.port === port) && (hostname === entry.hostname || hostname.endsWith(`.${entry.hostname}`)));
}
