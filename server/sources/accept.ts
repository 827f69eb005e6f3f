// accept(delivery), the one call every event source makes: record durably in
// the inbox (deduplicated by message id, whichever source heard it first),
// report it, and wake the worker. "Durably" means on disk, not only
// committed: the source acknowledges (a 2xx, a websocket ack) only after
// `durable`, which deliveries arriving together share (group commit).
import type {Report} from '../activity.js';
import type {Logger} from '../logger.js';
import {errorSummary} from '../outcome.js';
import type {Inbox} from '../store/inbox.js';
import type {Accept} from './source.js';

export interface AcceptOptions {
	inbox: Inbox;
	report: Report;
	logger: Logger;
	wake(): void;
	/** Resolves once the record is safe from a power loss (the store's durable()); absent: the commit is enough. */
	durable?(): Promise<void>;
	/** Leave duplicates out of the activity: catch-up re-reads an overlap on every pass, already answered. */
	quietDuplicates?: boolean;
}

export function createAccept(options: AcceptOptions): Accept {
	return async delivery => {
		let isNew: boolean;
		try {
			isNew = await options.inbox.record(delivery);
			// Committed, so the worker may start on it while the disk syncs: the reply does not wait for the
			// fsync, the acknowledgement does. (A power loss before the sync could lose the record after
			// the reply was sent; the source, never acknowledged, delivers again, and the question is
			// answered twice. That is the same window the worker's own unsynced writes have: README, Performance.)
			if (isNew) options.wake();
			// A duplicate too: the first delivery's record may still be waiting for its sync.
			await options.durable?.();
		} catch (error) {
			options.logger.error({eventId: delivery.messageId, outcome: 'failed', source: delivery.source, err: errorSummary(error)}, 'could not record the delivery');
			options.report({outcome: 'failed', eventId: delivery.messageId, source: delivery.source, reason: 'inbox-unavailable'});
			return 'unavailable';
		}
		if (!isNew) {
			if (!options.quietDuplicates) options.report({outcome: 'duplicate', eventId: delivery.messageId, source: delivery.source});
			return 'duplicate';
		}
		options.report({outcome: 'received', eventId: delivery.messageId, source: delivery.source, ...(delivery.personEmail && {requesterEmail: delivery.personEmail})});
		return 'received';
	};
}
