// What a webhook's target URL must be, said once for the TUI's form and the
// `webhooks` command: absolute http(s); plain http only earns a warning, since
// it works against the sandbox or a local tunnel but Webex expects HTTPS.
export function checkTargetUrl(value: string): {error?: string; warning?: string} {
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		return {error: 'must be an absolute http(s) URL, e.g. https://bot.example.com/wtwebhook'};
	}
	if (url.protocol === 'http:') return {warning: 'Webex expects HTTPS; http:// only works against the sandbox or a tunnel'};
	if (url.protocol !== 'https:') return {error: 'must be an absolute http(s) URL, e.g. https://bot.example.com/wtwebhook'};
	return {};
}
