// The webhook globobot wants, said once for `webhooks create`, its --help and
// the TUI's new-webhook form: every new message the bot can see. No filter:
// Webex already sends a bot only the group-room messages that mention it, and
// every message of a direct room, which carries no mentions at all, so
// `mentionedPeople=me` (the usual bot filter) would keep every question asked
// in a direct room out (docs/webex-api.md §0.5, §3.5). The target URL and the
// secret come from the configuration.
export const defaultWebhook = {
	name: 'globobot',
	resource: 'messages',
	event: 'created',
	filter: '',
} as const;

/**
 * Filters that earlier versions put on the default webhook. Webex cannot
 * change a webhook's filter, so `webhooks ensure` replaces a `globobot`
 * webhook carrying one of these, and `doctor` names it.
 */
export const outdatedDefaultFilters: readonly string[] = ['mentionedPeople=me'];

/** Whether a webhook with this filter never delivers a direct room's messages (they mention nobody, and are in no group). */
export function filterMissesDirectRooms(filter: string | undefined): boolean {
	return (filter ?? '').split('&').some(pair => pair.startsWith('mentionedPeople=') || pair === 'roomType=group');
}
