// Every detail of Webex's websocket ("Mercury") delivery that is known only
// from third-party observation ([T] in shared/docs/webex-api.md §8: the
// webex-js-sdk's mercury and device plugins, fbradyirl/webex_bot) or not
// known at all ([U]), in one place. Webex does not document this protocol;
// when real traffic turns out to differ, the correction is a one-line change
// here and nowhere else in the sandbox.

/** [T] The U2C catalog, on Webex at https://u2c.wbx2.com/u2c/api/v1/catalog?format=hostmap. */
export const catalogPath = '/u2c/api/v1/catalog';
/** [T] The catalog's answer names the device service under this key of `serviceLinks`. */
export const deviceServiceKey = 'wdm';
/** [T] The device service's base path (wdm-a.wbx2.com/wdm/api/v1 on Webex). */
export const deviceServicePath = '/wdm/api/v1';
/** [T] GET lists `{devices: [...]}`, POST registers one; a device's `url` is this plus its id. */
export const devicesPath = `${deviceServicePath}/devices`;
/** [T] Where a device's `webSocketUrl` points (mercury-connection-….wbx2.com/v1/apps/wx2/registrations/<id>/messages). */
export const socketPath = (registrationId: string) => `/mercury/v1/apps/wx2/registrations/${registrationId}/messages`;
export const socketPathPattern = /^\/mercury\/v1\/apps\/wx2\/registrations\/([^/]+)\/messages$/;
/** [T] The conversation service: activities' `target.url` is `<base>/conversations/<uuid>`; the REST id lookup is `<base>/messages/<activity id>`. */
export const conversationServicePath = '/conversation/api/v1';
export const conversationServiceKey = 'conversation';

/** [T] Frame `type`s a client sends: the authorisation, keep-alive pings, acknowledgements. */
export const frameTypes = {authorization: 'authorization', ping: 'ping', pong: 'pong', ack: 'ack'} as const;
/** [T] `{"type":"ack","messageId":"<frame id>"}`: the field of an ack naming the frame. */
export const ackFrameIdField = 'messageId';
/** [T] The SDK waits for one of these `data.eventType`s before calling the socket ready; the sandbox sends the first. */
export const readyEventType = 'mercury.buffer_state';
export const activityEventType = 'conversation.activity';
/** [T] An activity's `verb`: `post` for a new message, `share` for one with a file, then `update` for it once the file's malware scan is done. */
export const activityVerbs = {post: 'post', share: 'share', update: 'update'} as const;
/** [T] A direct (1:1) room's activities carry this tag in `target.tags`. */
export const directRoomTag = 'ONE_ON_ONE';

/** [U] How many devices one token may register before Webex refuses (750 seen earlier, 100 in a 2025 SDK change). */
export const defaultDeviceCap = 100;
/** [T] The refusal's words; [U] its status (403 chosen). */
export const deviceCapStatus = 403;
export const deviceCapMessage = 'excessive device registrations';
/** [U] How long an opened socket may wait for its authorization frame before it is closed. */
export const authorizationTimeoutMs = 10_000;
/** [U] Close codes for a refused authorization frame (4401) and a token that does not own the device (4403). */
export const closeCodes = {unauthorised: 4401, forbidden: 4403, replaced: 4000} as const;
/** [U] Unacknowledged frames kept per device for redelivery; Webex's limit and retention (~15 min observed) are unknown. */
export const maxUnacknowledged = 10_000;
