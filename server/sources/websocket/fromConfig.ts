// The websocket source as the listener builds it from a Config: the lead's
// wiring in startListener is then one call (see the README's settings).
import type {Config} from '../../../source/config.js';
import type {SqlStore} from '../../store/sql.js';
import {createWebsocketSource, type WebsocketSource, type WebsocketSourceOptions} from './source.js';

export interface WebsocketDeps extends Pick<WebsocketSourceOptions, 'webex' | 'botId' | 'onGap' | 'onFatal' | 'observer' | 'holder'> {
	/** The listener store, for the leader lease. */
	store: SqlStore;
}

export function websocketSourceFromConfig(config: Config, deps: WebsocketDeps): WebsocketSource {
	return createWebsocketSource({
		token: config.webexToken ?? '',
		catalogUrl: config.webexCatalogUrl,
		deviceName: config.deviceName,
		deleteDeviceOnStop: config.deleteDevice,
		...(config.httpsProxy && {proxyUrl: config.httpsProxy}),
		...(config.noProxy && {noProxy: config.noProxy}),
		...deps,
	});
}
