// What the TUI's Events screen and health panel read, from the database (so
// they show any listener on it: the embedded one, or a `serve` it attached
// to), as a port the command builds (commands/consoleData.ts). Views take the
// shapes from here; only the useConsole hook calls it.
export type {EventRecord, InboxHealth, RetryResult} from '../../server/store/eventLog.js';
export type {Instance, InstanceStatus} from '../../server/store/instances.js';
import type {EventRecord, InboxHealth, RetryResult} from '../../server/store/eventLog.js';
import type {Instance} from '../../server/store/instances.js';

export interface ConsoleData {
	/** Pending and failed events, newest first. */
	unanswered(): Promise<EventRecord[]>;
	/** The latest events, whatever their state, newest first. */
	recent(limit: number): Promise<EventRecord[]>;
	health(): Promise<InboxHealth>;
	/** Listeners running on this database (heartbeats), newest first. */
	instances(): Promise<Instance[]>;
	/** A failed event back to pending, once; recorded as an operator action. */
	retry(id: string): Promise<RetryResult>;
}
