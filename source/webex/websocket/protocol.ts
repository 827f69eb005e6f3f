// Webex's websocket ("Mercury") protocol as globobot's client speaks it. It is
// undocumented by Webex: every name here is from third-party observation
// (shared/docs/webex-api.md §8.1 [T]: the webex-js-sdk mercury plugin and
// fbradyirl/webex_bot), kept in this one file so that a change on Webex's side
// is a change here. The sandbox keeps its own copy (source/sandbox/websocket/
// observed.ts) on purpose: the two must not share a mistake.

export const frameType = {authorization: 'authorization', ping: 'ping', pong: 'pong', ack: 'ack'} as const;
/** The SDK calls a socket ready on either of these `data.eventType`s. */
export const readyEventTypes: readonly string[] = ['mercury.buffer_state', 'mercury.registration_status'];
export const activityEventType = 'conversation.activity';
/**
 * The verbs of a new message: `post`, and `share` for one with a file (a question may come with a
 * screenshot). The `update` that follows a share once its file is scanned is the same message again,
 * and edits, deletions and card actions are not questions: all are acknowledged and left.
 */
export const questionVerbs: ReadonlySet<string> = new Set(['post', 'share']);
export const directRoomTag = 'ONE_ON_ONE';

// No close code is given a meaning here: §8.1 names none, and reads a bad token only from a refused upgrade (401/403)
// or the catalog's 401. Any close is a dropped socket, and mercury.ts asks the catalog before it reconnects.

export interface Activity {
	/** The frame to acknowledge. */
	frameId: string;
	/** The activity uuid: the conversation service turns it into the REST message id. */
	activityId: string;
	verb: string;
	/** `target.url`: the conversation's URL on the conversation service, when given. */
	conversationUrl?: string;
	direct: boolean;
	/** Epoch ms of `published`, when given. */
	published?: number;
}

/** The activity of a `conversation.activity` frame, or undefined for any other frame. Only the frame id, activity id and verb are required. */
export function parseActivity(frame: unknown): Activity | undefined {
	const envelope = frame as {id?: unknown; data?: {eventType?: unknown; activity?: Record<string, unknown>}} | null;
	if (envelope?.data?.eventType !== activityEventType || typeof envelope.id !== 'string') return undefined;
	const activity = envelope.data.activity;
	if (typeof activity?.['id'] !== 'string' || typeof activity['verb'] !== 'string') return undefined;
	const target = activity['target'] as {url?: unknown; tags?: unknown} | undefined;
	const published = typeof activity['published'] === 'string' ? Date.parse(activity['published']) : Number.NaN;
	return {
		frameId: envelope.id,
		activityId: activity['id'],
		verb: activity['verb'],
		...(typeof target?.url === 'string' && {conversationUrl: target.url}),
		direct: Array.isArray(target?.tags) && target.tags.includes(directRoomTag),
		...(Number.isNaN(published) ? {} : {published}),
	};
}

/** webex_bot's lookup: the conversation URL with `conversations/<id>` replaced by `messages/<activity id>`. */
export function messageLookupUrl(activity: Activity): string | undefined {
	if (!activity.conversationUrl) return undefined;
	let url: URL;
	try {
		url = new URL(activity.conversationUrl);
	} catch {
		return undefined;
	}
	const pattern = /\/conversations\/[^/]+\/?$/;
	if (!pattern.test(url.pathname)) return undefined;
	url.pathname = url.pathname.replace(pattern, `/messages/${encodeURIComponent(activity.activityId)}`);
	return url.toString();
}

/**
 * The SDK's construction of the REST id: base64url of
 * `ciscospark://<cluster>/MESSAGE/<activity id>`, the cluster being `us` for
 * the main US cluster. Right only there: used only when the lookup fails.
 */
export function constructedMessageId(activity: Activity, cluster = 'us'): string {
	return Buffer.from(`ciscospark://${cluster}/MESSAGE/${activity.activityId}`).toString('base64url');
}
