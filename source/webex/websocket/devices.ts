// Step 2 of §8.1, with the hygiene issue 18 asks for: reuse the device
// registered under our name (a new one per start runs into the device cap),
// and delete only that one, never the token's other devices (other
// processes may be using them).
import {version} from '../../version.js';
import {WebexError} from '../errors.js';
import {badAnswer, type Rest} from './rest.js';

export interface Device {
	/** For DELETE. */
	url: string;
	webSocketUrl: string;
	name: string;
}

function isDevice(value: unknown): value is Device {
	const device = value as Partial<Device> | null;
	return typeof device?.url === 'string' && typeof device.webSocketUrl === 'string' && typeof device.name === 'string';
}

/** A registration's answer needs only its urls; the name is the one we asked for. */
function asCreated(value: unknown, name: string): Device | undefined {
	const device = value as Partial<Device> | null;
	if (typeof device?.url !== 'string' || typeof device.webSocketUrl !== 'string') return undefined;
	return {url: device.url, webSocketUrl: device.webSocketUrl, name};
}

/**
 * The device service accepted the token (it had just listed the devices) but would not register one: the device
 * cap, or a token without the scope for it. Neither is a bad token, and neither passes by reconnecting.
 */
export class DeviceRegistrationRefused extends Error {
	override readonly name = 'DeviceRegistrationRefused';

	constructor(readonly refusal: WebexError, wdm: string, deviceName: string) {
		super(refusalText(refusal, wdm, deviceName), {cause: refusal});
	}
}

/** Webex's words for the cap (§8.1 [T]); its status is unknown, so the words decide. */
const deviceCapWords = /excessive device registrations/i;

function refusalText(refusal: WebexError, wdm: string, deviceName: string): string {
	const what = `Webex would not register websocket device "${deviceName}" (${refusal.status} ${refusal.webexMessage} at POST ${refusal.path})`;
	// globobot has no command for this: the device service's own REST calls are the way.
	const cleanup = `with the bot's token, GET ${wdm}/devices lists them and DELETE on a device's url removes it; delete only devices no process uses, e.g. old ones named like "${deviceName}"`;
	if (deviceCapWords.test(refusal.webexMessage)) return `${what}: the token holds as many devices as Webex allows; ${cleanup}`;
	return `${what}, though it accepts the token: it may lack the spark:all scope, or hold as many devices as Webex allows (${cleanup})`;
}

function isRegistrationRefusal(error: unknown): error is WebexError {
	// 401 stays the token's: the device service may have taken it a moment ago, but says no now.
	return error instanceof WebexError && (error.status === 403 || (error.code === 'rejected' && deviceCapWords.test(error.webexMessage)));
}

/** Our device by name, unless found `stale` in this run; otherwise a new registration. */
export async function findOrCreateDevice(rest: Rest, wdm: string, name: string, stale: ReadonlySet<string> = new Set()): Promise<{device: Device; created: boolean}> {
	const list = await rest.call<{devices?: unknown[]}>('GET', `${wdm}/devices`, '/devices');
	const mine = (list?.devices ?? []).filter(isDevice).find(device => device.name === name && !stale.has(device.url));
	if (mine) return {device: mine, created: false};
	return {device: await registerDevice(rest, wdm, name), created: true};
}

async function registerDevice(rest: Rest, wdm: string, name: string): Promise<Device> {
	const description = {deviceName: name, deviceType: 'DESKTOP', localizedModel: 'globobot', model: 'globobot', name, systemName: 'globobot', systemVersion: version};
	const answer = await rest.call<unknown>('POST', `${wdm}/devices`, '/devices', description).catch((error: unknown) => {
		throw isRegistrationRefusal(error) ? new DeviceRegistrationRefused(error, wdm, name) : error;
	});
	const created = asCreated(answer, name);
	if (!created) throw badAnswer('POST', `${wdm}/devices`, 'the device service answered without url and webSocketUrl');
	return created;
}

export async function deleteDevice(rest: Rest, device: Device): Promise<void> {
	await rest.call('DELETE', device.url, '/devices/{id}');
}
