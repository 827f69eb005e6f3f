// Webex's websocket ("Mercury") delivery: the client side (§8.1).
export {createMercuryClient, type MercuryClient, type MercuryOptions, type MercuryState} from './mercury.js';
export {constructedMessageId, messageLookupUrl, questionVerbs, type Activity} from './protocol.js';
export {DeviceRegistrationRefused} from './devices.js';
export {proxyAgent} from './proxy.js';
export type {Rest} from './rest.js';
