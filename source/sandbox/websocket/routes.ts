// The REST side of websocket delivery: the U2C catalog (which names the
// device service, here this sandbox itself), the device service (list,
// register, read, delete the caller's own devices) and the conversation
// service's activity → REST message id lookup. Paths are in observed.ts.
import Router from '@koa/router';
import type {Context} from 'koa';
import {authenticate, caller} from '../auth.js';
import {readJsonObject} from '../body.js';
import {WebexHttpError, badRequest, notFound} from '../errors.js';
import {encodeId} from '../ids.js';
import {requestOrigin} from '../origin.js';
import type {SandboxState} from '../state.js';
import type {DeviceRegistry, SandboxDevice} from './devices.js';
import {
	catalogPath,
	conversationServiceKey,
	conversationServicePath,
	deviceCapMessage,
	deviceCapStatus,
	deviceServiceKey,
	deviceServicePath,
	devicesPath,
	socketPath,
} from './observed.js';

export interface RouteOptions {
	state: SandboxState;
	devices: DeviceRegistry;
	/** Registrations one person may hold. */
	deviceCap(): number;
	/** A device was deleted: its socket goes too. */
	onDeleted(device: SandboxDevice): void;
}

/** A device as the device service shows it: the client's description plus where it lives. */
export function deviceView(device: SandboxDevice, origin: string) {
	return {
		...device.description,
		url: `${origin}${devicesPath}/${device.id}`,
		webSocketUrl: `${origin.replace(/^http/, 'ws')}${socketPath(device.id)}`,
		creationTime: device.creationTime,
		modificationTime: device.creationTime,
		services: {conversationServiceUrl: `${origin}${conversationServicePath}`},
	};
}

export function websocketRoutes(options: RouteOptions): Router {
	const {state, devices} = options;
	const router = new Router();
	const auth = authenticate(state);

	router.get(catalogPath, auth, ctx => {
		const origin = requestOrigin(ctx);
		ctx.body = {
			serviceLinks: {[deviceServiceKey]: `${origin}${deviceServicePath}`, [conversationServiceKey]: `${origin}${conversationServicePath}`},
			hostCatalog: {},
			format: ctx.query['format'] === 'hostmap' ? 'hostmap' : 'default',
			timestamp: String(Date.now()),
		};
	});

	router.get(devicesPath, auth, ctx => {
		ctx.body = {devices: devices.of(caller(ctx).id).map(device => deviceView(device, requestOrigin(ctx)))};
	});

	router.post(devicesPath, auth, async ctx => {
		const body = await readJsonObject(ctx);
		if (typeof body['name'] !== 'string' || body['name'].trim() === '') throw badRequest('name cannot be null or empty.');
		const owner = caller(ctx);
		if (devices.of(owner.id).length >= options.deviceCap()) throw new WebexHttpError(deviceCapStatus, deviceCapMessage);
		const {url: _url, webSocketUrl: _socket, ...description} = body;
		ctx.body = deviceView(devices.create(owner.id, description, requestOrigin(ctx)), requestOrigin(ctx));
	});

	const ownDevice = (ctx: Context) => {
		const device = devices.get(ctx.params['deviceId'] ?? '');
		// Someone else's device is as absent as a missing one: a token only ever touches its own.
		if (!device || device.ownerId !== caller(ctx).id) throw notFound('Device not found.');
		return device;
	};

	router.get(`${devicesPath}/:deviceId`, auth, ctx => {
		ctx.body = deviceView(ownDevice(ctx), requestOrigin(ctx));
	});

	router.delete(`${devicesPath}/:deviceId`, auth, ctx => {
		const device = ownDevice(ctx);
		devices.delete(device.id);
		options.onDeleted(device);
		ctx.status = 204;
	});

	router.get(`${conversationServicePath}/messages/:activityId`, auth, ctx => {
		const message = state.message(encodeId('MESSAGE', ctx.params['activityId'] ?? ''));
		if (!message || !state.canSee(caller(ctx).id, message)) throw notFound('Activity not found.');
		ctx.body = {id: message.id, objectType: 'comment', published: message.created};
	});

	return router;
}
