// What routes and the programmatic API share: the state, the deliverer, the
// fault rules, and the one place a new message is announced.
import type {Deliverer} from './delivery.js';
import type {FaultRegistry} from './faults.js';
import type {HealthRules} from './health.js';
import type {SandboxState} from './state.js';
import type {SandboxMessage} from './types.js';

export interface SandboxCore {
	state: SandboxState;
	deliverer: Deliverer;
	faults: FaultRegistry;
	health: HealthRules;
	/** Rehearsal switches for Webex's documented quirks (SandboxOptions). */
	quirks: {nextLinksDropMentionedPeople: boolean};
	/** Starts deliveries and tells onMessage listeners; call once per new message. */
	publish(message: SandboxMessage): void;
	/** Starts the messages/deleted deliveries of a message just deleted. */
	publishDeleted(message: SandboxMessage): void;
}
