// Catch-up as the current listener composes it: the source, its metric, its
// activity events, the accept() it records through, and the inbox wrapper
// that shows it every webhook delivery (so the watermark rises). Kept apart so
// that the listener's rewrite re-wires it in a few lines.
import {Counter, type Registry} from 'prom-client';
import type {Config} from '../../../source/config.js';
import type {Database} from '../../../source/crm/types.js';
import type {WebexClient} from '../../../source/webex/types.js';
import type {ListenerEvent} from '../../events.js';
import type {Inbox} from '../../inbox.js';
import type {Logger} from '../../logger.js';
import {sqlStoreOf} from '../../store/open.js';
import {openWatermarkStore} from '../../store/watermark.js';
import {createCatchUp, type CatchUpSource} from '../catchUp.js';
import type {Accept} from '../source.js';

export interface CatchUpWiring {
	source: CatchUpSource;
	/** Records a caught-up question in the inbox as a webhook delivery would be. */
	accept: Accept;
	/** The inbox with every delivery's outcome shown to catch-up. */
	observing(inbox: Inbox): Inbox;
}

export interface CatchUpWiringDeps {
	config: Pick<Config, 'catchUpMs'>;
	webex: WebexClient;
	botId: string;
	database: Database;
	inbox: Inbox;
	registry: Registry;
	logger: Logger;
	/** Webex's time (catchUp/webexClock.ts). */
	now(): number;
	emit(event: Omit<ListenerEvent, 'at'>): void;
	wake(): void;
}

/** Undefined when GLOBOBOT_CATCH_UP=0. */
export async function wireCatchUp(deps: CatchUpWiringDeps): Promise<CatchUpWiring | undefined> {
	if (deps.config.catchUpMs <= 0) return undefined;
	const counter = new Counter({name: 'globobot_catch_up_total', help: 'Catch-up: questions found after downtime by what the inbox said (received, duplicate, unavailable), and failed passes (error)', labelNames: ['outcome'], registers: [deps.registry]});
	const source = createCatchUp({
		webex: deps.webex,
		botId: deps.botId,
		watermarkStore: await openWatermarkStore(sqlStoreOf(deps.database)),
		boundMs: deps.config.catchUpMs,
		now: deps.now,
		logger: deps.logger,
		onCount: (outcome, count) => counter.inc({outcome}, count),
		// Only what catch-up brought in: each pass re-reads a 2-minute overlap, and its duplicates (already answered) would
		// fill the activity pane and the duplicate counter with noise on every start; the pass's log line and the metric count them.
		onEvent(event) {
			if (event.kind !== 'accepted' || event.result !== 'received') return;
			const {delivery} = event;
			deps.emit({outcome: 'received', eventId: delivery.messageId, reason: 'catch-up', ...(delivery.personEmail && {requesterEmail: delivery.personEmail})});
		},
	});
	const accept: Accept = async delivery => {
		try {
			if (!(await deps.inbox.record(delivery))) return 'duplicate';
		} catch (error) {
			deps.logger.error({eventId: delivery.messageId, outcome: 'failed', err: error instanceof Error ? error.name : 'error'}, 'could not record a caught-up question');
			return 'unavailable';
		}
		deps.wake();
		return 'received';
	};
	return {
		source,
		accept,
		observing: inbox => ({
			...inbox,
			async record(delivery) {
				try {
					const isNew = await inbox.record(delivery);
					source.observe({...delivery, source: 'webhook'}, isNew ? 'received' : 'duplicate');
					return isNew;
				} catch (error) {
					source.observe({...delivery, source: 'webhook'}, 'unavailable');
					throw error;
				}
			},
		}),
	};
}
