// What a webhook's target URL must be, said once for the TUI's form and the
// `webhooks create --url` command: absolute http(s), with no whitespace or
// control character anywhere (URL parsing would quietly drop or encode them,
// and the operator would save a URL that is not the one on screen); plain
// http only earns a warning, since it works against the sandbox or a local
// tunnel but Webex expects HTTPS.
const invisible = /[\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/u;

const absolute = 'must be an absolute http(s) URL, e.g. https://bot.example.com/wtwebhook';

export function checkTargetUrl(value: string): {error?: string; warning?: string} {
	if (invisible.test(value)) return {error: 'must not contain spaces or control characters'};
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return {error: absolute};
	}
	if (url.protocol === 'http:') return {warning: 'Webex expects HTTPS; http:// only works against the sandbox or a tunnel'};
	if (url.protocol !== 'https:') return {error: absolute};
	return {};
}
