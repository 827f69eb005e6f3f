// The device service's bookkeeping: devices registered per person (token
// owner), each with the frames sent to it and not yet acknowledged, which
// are redelivered when the same device connects again.
import {randomUUID} from 'node:crypto';
import {now} from '../clock.js';
import {maxUnacknowledged} from './observed.js';

export interface Frame {
	id: string;
	/** The JSON text sent, built once so a redelivery is byte-identical. */
	text: string;
}

export interface SandboxDevice {
	/** The registration id (part of url and webSocketUrl). */
	id: string;
	ownerId: string;
	/** The client's description, as POSTed (name, deviceName, deviceType, model …). */
	description: Record<string, unknown>;
	creationTime: string;
	/** The scheme and host it was registered through: its urls, and its activities' target urls, use it. */
	origin: string;
	/** Sent, not yet acknowledged, oldest first. */
	unacknowledged: Map<string, Frame>;
}

export class DeviceRegistry {
	private readonly byId = new Map<string, SandboxDevice>();

	create(ownerId: string, description: Record<string, unknown>, origin: string): SandboxDevice {
		const device: SandboxDevice = {id: randomUUID(), ownerId, description, creationTime: now(), origin, unacknowledged: new Map()};
		this.byId.set(device.id, device);
		return device;
	}

	get(id: string): SandboxDevice | undefined {
		return this.byId.get(id);
	}

	of(ownerId: string): SandboxDevice[] {
		return [...this.byId.values()].filter(device => device.ownerId === ownerId);
	}

	all(): SandboxDevice[] {
		return [...this.byId.values()];
	}

	delete(id: string): boolean {
		return this.byId.delete(id);
	}

	/** Keeps a frame until it is acknowledged; the oldest go first past the cap. */
	keep(device: SandboxDevice, frame: Frame): void {
		device.unacknowledged.set(frame.id, frame);
		while (device.unacknowledged.size > maxUnacknowledged) device.unacknowledged.delete(device.unacknowledged.keys().next().value!);
	}
}
