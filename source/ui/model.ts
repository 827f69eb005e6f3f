// The data shapes the views draw. Views import them from here, never from
// source/webex: only hooks talk to Webex.
export type {Webhook, WebhookStatus, CreateWebhook, UpdateWebhook} from '../webex/types.js';
export type {ListenerCounters, ListenerEvent, ListenerHandle} from '../../server/events.js';
export type {SourceStatus} from '../../server/sources/source.js';

/** What the optional chat pane (issue 6, key `c`) receives from the App. */
export interface ChatPaneProps {
	/** True while the chat has the keyboard: the App's own keys are off, except Ctrl-C. */
	focused: boolean;
	/** Rows available for its content. */
	height: number;
	/** Give the keyboard back to the webhook list (e.g. on Esc). */
	onLeave(): void;
}
