// Step 1 of §8.1: the U2C catalog names the device service (and the
// conversation service). WEBEX_CATALOG_URL is the only websocket URL
// globobot is configured with; every other host comes from answers.
import type {Rest} from './rest.js';
import {badAnswer} from './rest.js';

export interface Services {
	/** The device service's base URL (`serviceLinks.wdm`). */
	wdm: string;
}

export async function discoverServices(rest: Rest, catalogUrl: string): Promise<Services> {
	const url = new URL(catalogUrl);
	url.searchParams.set('format', 'hostmap');
	const answer = await rest.call<{serviceLinks?: Record<string, unknown>}>('GET', url.toString(), '/catalog');
	const wdm = answer?.serviceLinks?.['wdm'];
	if (typeof wdm !== 'string' || !/^https?:\/\//.test(wdm)) throw badAnswer('GET', catalogUrl, 'the catalog names no device service (serviceLinks.wdm)');
	return {wdm: wdm.replace(/\/+$/, '')};
}
