// `globobot-admin webhooks test`: proves the path Webex takes, without curl.
// It sends the listener's target (PUBLIC_URL + WEBHOOK_PATH) what Webex would:
// first unsigned (it must be refused), then signed with the first
// WEBHOOK_SECRET, and reports each step:
//
//   refused unsigned  the listener verifies signatures (401 without one)
//   signature         the signed delivery is answered 2xx (how fast)
//   recorded          the event is in the listener's inbox (DATABASE_URL)
//   answered          a worker took it to its end
//
// A synthetic delivery names a message Webex does not have: its worker asks
// Webex for it and gets "not found", which proves the listener reaches Webex
// with its token, but not that a reply would be sent. That last step can only
// be proven with a real question: `--message ID` (for instance the id printed
// by `sandbox say`) delivers that message, and then "answered" means the bot
// replied. The synthetic event is removed from the inbox afterwards, so it
// never shows among the failures.
import {randomUUID} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';
import {createEventLog, type EventDetail} from '../../server/store/eventLog.js';
import {signatureOf} from '../../server/sources/webhook/verify.js';
import {loadConfig, webhookTargetUrl, type Config} from '../config.js';
import {openDatabase} from '../crm/database.js';
import {describeDatabaseUrl} from '../crm/describe.js';
import type {Database} from '../crm/types.js';
import type {Message} from '../webex/types.js';
import {processOutput, safeText, type Output} from './output.js';
import {CommandError} from './run.js';
import {explainWebexError, webexForCommand} from './webex.js';

export type TestOptions = {
	apiUrl?: string;
	publicUrl?: string;
	database?: string;
	url?: string;
	message?: string;
	timeout?: string;
	json?: boolean;
};

export interface TestStep {
	step: 'refused unsigned' | 'signature' | 'recorded' | 'answered';
	ok: boolean;
	detail: string;
	fix?: string;
}

/** Ids of synthetic deliveries start with this, so they can never be mistaken for (or delete) a real event. */
export const syntheticPrefix = 'globobot-webhooks-test-';

export async function run(options: TestOptions, output: Output = processOutput()): Promise<number> {
	const out = (line: string) => output.out(line);
	const timeoutMs = seconds(options.timeout ?? '20') * 1000;
	const config = loadConfig({apiUrl: options.apiUrl, publicUrl: options.publicUrl, database: options.database});
	const targetUrl = options.url ?? webhookTargetUrl(config);
	const secret = config.webhookSecrets[0];
	if (!secret) throw new CommandError('no WEBHOOK_SECRET is configured (nor a generated one in GLOBOBOT_HOME): nothing to sign the test delivery with', 2);
	const message = options.message ? await realMessage(config, options.message) : undefined;
	const steps = await testDelivery({config, targetUrl, secret, message, timeoutMs});
	if (options.json) output.json({targetUrl, synthetic: !message, steps});
	else {
		out(`testing ${safeText(targetUrl)} with a ${message ? 'delivery of a real message' : 'synthetic delivery'}`);
		for (const step of steps) out(`${step.ok ? '✔' : '✘'} ${step.step}: ${step.detail}${!step.ok && step.fix ? ` — ${step.fix}` : ''}`);
		if (!message && steps.every(step => step.ok)) out('a reply is not proven by a synthetic delivery: ask a real question (or `sandbox say`), then `webhooks test --message ID`');
	}
	return steps.every(step => step.ok) ? 0 : 1;
}

function seconds(text: string): number {
	const value = Number(text);
	if (!/^\d+$/.test(text.trim()) || value < 1 || value > 600) throw new CommandError('--timeout must be a whole number of seconds from 1 to 600', 2);
	return value;
}

async function realMessage(config: Config, id: string): Promise<Message> {
	const webex = webexForCommand(config);
	try {
		return await webex.messages.get(id);
	} catch (error) {
		if (error instanceof Error && 'status' in error && (error as {status: number}).status === 404) throw new CommandError(`the bot cannot see message ${safeText(id)} (404): give the id of a message that mentions it, or one in its direct room`, 1);
		return explainWebexError(error, config);
	}
}

interface DeliveryPlan {
	config: Config;
	targetUrl: string;
	secret: string;
	message: Message | undefined;
	timeoutMs: number;
}

/** The envelope Webex would POST for `message` (webex-api.md §1.6); never its text, which Webex does not send either. */
function envelope(targetUrl: string, message: Pick<Message, 'id' | 'roomId' | 'personId' | 'created'> & {roomType?: string; personEmail?: string}) {
	return {
		id: `${syntheticPrefix}webhook`,
		name: 'globobot webhooks test',
		targetUrl,
		resource: 'messages',
		event: 'created',
		status: 'active',
		created: new Date().toISOString(),
		actorId: message.personId,
		data: {id: message.id, roomId: message.roomId, roomType: message.roomType ?? 'direct', personId: message.personId, ...(message.personEmail && {personEmail: message.personEmail}), created: message.created},
	};
}

async function post(url: string, body: string, signature?: string): Promise<{status: number; ms: number} | {error: string}> {
	const started = performance.now();
	try {
		const response = await fetch(url, {method: 'POST', headers: {'content-type': 'application/json', ...(signature && {'x-spark-signature': signature})}, body, signal: AbortSignal.timeout(10_000)});
		await response.arrayBuffer();
		return {status: response.status, ms: Math.round(performance.now() - started)};
	} catch (error) {
		const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
		return {error: cause.split('\n')[0] ?? 'no answer'};
	}
}

export async function testDelivery(plan: DeliveryPlan): Promise<TestStep[]> {
	const {targetUrl, message} = plan;
	const id = message?.id ?? `${syntheticPrefix}${randomUUID()}`;
	const body = JSON.stringify(
		envelope(targetUrl, message ?? {id, roomId: `${syntheticPrefix}room`, personId: `${syntheticPrefix}person`, personEmail: 'webhooks-test@globobot.invalid', created: new Date().toISOString()}),
	);
	const steps: TestStep[] = [];

	const unsigned = await post(targetUrl, body);
	if ('error' in unsigned) {
		return [{step: 'signature', ok: false, detail: `nothing answers at ${safeText(targetUrl)} (${safeText(unsigned.error)})`, fix: 'start `globobot-admin serve`, or check PUBLIC_URL and WEBHOOK_PATH'}];
	}
	steps.push(
		unsigned.status === 401
			? {step: 'refused unsigned', ok: true, detail: 'a delivery without a signature is refused (401)'}
			: {step: 'refused unsigned', ok: false, detail: `a delivery without a signature was answered ${unsigned.status}`, fix: unsigned.status < 300 ? 'the listener runs with --allow-unsigned: configure WEBHOOK_SECRET' : 'is this globobot\'s listener?'},
	);
	// An unsigned delivery the listener accepted is recorded: the signed one below is then a duplicate, which is still a 2xx.
	const signed = await post(targetUrl, body, signatureOf(body, plan.secret));
	if ('error' in signed) {
		steps.push({step: 'signature', ok: false, detail: `no answer (${safeText(signed.error)})`, fix: 'check the listener'});
		return steps;
	}
	if (signed.status === 401) {
		steps.push({step: 'signature', ok: false, detail: 'the listener refused the signature (401)', fix: "the listener's WEBHOOK_SECRET differs from this one: use the same secret in both"});
		return steps;
	}
	if (signed.status < 200 || signed.status >= 300) {
		steps.push({step: 'signature', ok: false, detail: `answered ${signed.status}`, fix: signed.status === 503 ? "the listener cannot write to its database: see its log and `globobot-admin doctor`" : 'see the listener\'s log'});
		return steps;
	}
	steps.push({step: 'signature', ok: true, detail: `accepted, answered ${signed.status} in ${signed.ms} ms`});
	steps.push(...(await followInDatabase(plan, id)));
	return steps;
}

/** Recorded, then taken to its end, as the listener's inbox shows it. */
async function followInDatabase(plan: DeliveryPlan, id: string): Promise<TestStep[]> {
	const where = describeDatabaseUrl(plan.config.databaseUrl);
	let database: Database;
	try {
		database = await openDatabase(plan.config.databaseUrl, {create: false});
	} catch (error) {
		const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
		return [{step: 'recorded', ok: false, detail: `not proven from here: cannot open ${safeText(where)} (${safeText(reason ?? '')})`, fix: "run this where the listener's DATABASE_URL is reachable, with the same DATABASE_URL"}];
	}
	try {
		const log = createEventLog(database.store);
		const deadline = Date.now() + plan.timeoutMs;
		let event: EventDetail | undefined;
		while (Date.now() < deadline && !(event = (await log.exists()) ? await log.get(id) : undefined)) await sleep(100);
		if (!event) {
			return [{step: 'recorded', ok: false, detail: `the event is not in the inbox of ${safeText(where)}`, fix: "the listener uses another database: give this command the listener's DATABASE_URL"}];
		}
		const steps: TestStep[] = [{step: 'recorded', ok: true, detail: `in the inbox of ${safeText(where)}${event.source === 'webhook' ? '' : ` (first heard by ${event.source})`}`}];
		while (Date.now() < deadline && (event.state !== 'done' && event.state !== 'failed')) {
			await sleep(200);
			event = (await log.get(id)) ?? event;
		}
		steps.push(answered(event, plan.message !== undefined));
		if (!plan.message && id.startsWith(syntheticPrefix) && (event.state === 'done' || event.state === 'failed')) {
			await database.store.run('DELETE FROM listener_inbox WHERE message_id = $1 AND message_id LIKE $2', [id, `${syntheticPrefix}%`]);
		}
		return steps;
	} finally {
		await database.close();
	}
}

function answered(event: EventDetail, real: boolean): TestStep {
	if (event.state !== 'done' && event.state !== 'failed') {
		return {step: 'answered', ok: false, detail: `still ${event.state} after ${event.attempts} attempt(s)${event.lastError ? `, last error ${safeText(event.lastError)}` : ''}`, fix: 'is a listener running on this database? `globobot-admin events show ID`'};
	}
	if (!real) {
		const fetched = event.outcome === 'message-not-found' || event.outcome === 'webex-rejected';
		return fetched
			? {step: 'answered', ok: true, detail: `a worker asked Webex for the message and was told it does not exist (${safeText(event.outcome ?? '')}), as expected for a synthetic one; no reply was sent`}
			: {step: 'answered', ok: false, detail: `the worker ended it as ${safeText(event.outcome ?? event.state)}`, fix: event.outcome === 'webex-unauthorised' ? "Webex refused the listener's token" : 'see `globobot-admin events show`'};
	}
	if (event.state === 'done' && event.replies > 0) return {step: 'answered', ok: true, detail: `replied (${event.outcome ?? 'done'}, ${event.replies} message${event.replies === 1 ? '' : 's'} sent)`};
	return {step: 'answered', ok: event.state === 'done', detail: `${event.state}: ${safeText(event.outcome ?? '')}${event.replies === 0 ? ', no reply sent' : ''}`, fix: `see \`globobot-admin events show ${safeText(event.id)}\``};
}
