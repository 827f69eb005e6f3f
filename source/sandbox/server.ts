// The Koa app: tracking ids and Webex-shaped errors on every answer, the
// configured latency, REST faults, bearer auth, then the routes under /v1.
import {setTimeout as sleep} from 'node:timers/promises';
import Router from '@koa/router';
import Koa from 'koa';
import {authenticate} from './auth.js';
import {serveAvatar} from './avatars.js';
import type {SandboxCore} from './core.js';
import {errorHandler} from './errors.js';
import {restFaults} from './faults.js';
import {membershipRoutes} from './routes/memberships.js';
import {messageRoutes} from './routes/messages.js';
import {peopleRoutes} from './routes/people.js';
import {roomRoutes} from './routes/rooms.js';
import {webhookRoutes} from './routes/webhooks.js';

export const apiPrefix = '/v1';

export function createApp(core: SandboxCore, latency: {ms: number}): Koa {
	const app = new Koa();
	app.use(errorHandler);
	app.use(async (_ctx, next) => {
		if (latency.ms > 0) await sleep(latency.ms);
		await next();
	});
	app.use(restFaults(core.faults, apiPrefix));

	const avatars = new Router();
	avatars.get('/avatars/:uuid', ctx => serveAvatar(core.state, ctx, ctx.params['uuid']!));
	app.use(avatars.routes());

	const api = new Router({prefix: apiPrefix});
	api.use(authenticate(core.state));
	peopleRoutes(api, core);
	roomRoutes(api, core);
	membershipRoutes(api, core);
	messageRoutes(api, core);
	webhookRoutes(api, core);
	app.use(api.routes());
	app.use(api.allowedMethods());
	return app;
}
