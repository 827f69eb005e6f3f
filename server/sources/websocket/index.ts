// Receiving events over Webex's websocket (issue 18).
export {createWebsocketSource, type Gap, type WebsocketObserver, type WebsocketSource, type WebsocketSourceOptions} from './source.js';
export {websocketSourceFromConfig, type WebsocketDeps} from './fromConfig.js';
export {websocketObserver} from './metrics.js';
