// What the listener lends an event source it builds: enough to hear Webex and
// report what it heard, nothing of the replier. A source made elsewhere (a
// command wiring catch-up or the websocket) gets the same by being a factory.
import type {SqlStore} from '../../source/sql/types.js';
import type {WebexClient} from '../../source/webex/types.js';
import type {Report} from '../activity.js';
import type {Bot} from '../bot.js';
import type {ListenerHttp} from '../http.js';
import type {Logger} from '../logger.js';
import type {ListenerMetrics} from '../metrics.js';
import type {EventSource} from './source.js';

export interface SourceContext {
	bot: Bot;
	/** For reads; retries by itself. */
	webex: WebexClient;
	/** The listener store, for a source's own tables (a catch-up watermark, a leader lease). */
	store: SqlStore;
	/** The listener's HTTP server, for sources that are reached over HTTP. */
	http: ListenerHttp;
	/** For what never becomes a delivery: rejections, ignored events. accept() reports received and duplicate itself. */
	report: Report;
	metrics: ListenerMetrics;
	logger: Logger;
	/** Aborted when the listener closes. */
	signal: AbortSignal;
}

/** A source, or how to build one from the listener's parts. */
export type SourceFactory = (context: SourceContext) => EventSource;
