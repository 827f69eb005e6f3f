// The webhook globobot wants, said once for `webhooks create`, its --help and
// the TUI's new-webhook form: every new message that mentions the bot. The
// target URL and the secret come from the configuration.
export const defaultWebhook = {
	name: 'globobot',
	resource: 'messages',
	event: 'created',
	filter: 'mentionedPeople=me',
} as const;
