// Step 2 of §8.1, with the hygiene issue 18 asks for: reuse the device
// registered under our name (a new one per start runs into the device cap),
// and delete only that one, never the token's other devices (other
// processes may be using them).
import {version} from '../../version.js';
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

/** Our device by name, unless it is the one just found stale (`avoid`); otherwise a new registration. */
export async function findOrCreateDevice(rest: Rest, wdm: string, name: string, avoid?: string): Promise<{device: Device; created: boolean}> {
	const list = await rest.call<{devices?: unknown[]}>('GET', `${wdm}/devices`, '/devices');
	const mine = (list?.devices ?? []).filter(isDevice).find(device => device.name === name && device.url !== avoid);
	if (mine) return {device: mine, created: false};
	const description = {deviceName: name, deviceType: 'DESKTOP', localizedModel: 'globobot', model: 'globobot', name, systemName: 'globobot', systemVersion: version};
	const created = asCreated(await rest.call<unknown>('POST', `${wdm}/devices`, '/devices', description), name);
	if (!created) throw badAnswer('POST', `${wdm}/devices`, 'the device service answered without url and webSocketUrl');
	return {device: created, created: true};
}

export async function deleteDevice(rest: Rest, device: Device): Promise<void> {
	await rest.call('DELETE', device.url, '/devices/{id}');
}
