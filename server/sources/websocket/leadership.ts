// Who holds the websocket among replicas: every `renewMs` the lease is
// acquired or renewed; winning it elects this replica, losing it (another
// holder, or renewals failing until the lease may have expired) deposes it.
// Without a lease (one replica, or no shared database) it always leads.
import type {LeaderLease} from '../../store/leader.js';

export interface LeadershipOptions {
	lease?: LeaderLease;
	holder: string;
	ttlMs: number;
	renewMs: number;
	/** Called on every change of role; must not wait for the socket (renewals must keep their pace). */
	onRole(role: 'leader' | 'standby'): void;
	onError?(error: unknown): void;
	clock?: () => number;
}

export interface Leadership {
	isLeader(): boolean;
	/** Stops renewing; `release` gives the lease up at once (graceful), otherwise it expires on its own. */
	stop(release: boolean): Promise<void>;
}

/** Resolves after the first round, so the caller knows its role. */
export async function startLeadership(options: LeadershipOptions): Promise<Leadership> {
	const clock = options.clock ?? Date.now;
	let leader = false;
	let stopped = false;
	let lastRenewedAt = 0;
	let timer: NodeJS.Timeout | undefined;
	let round: Promise<void> = Promise.resolve();

	const become = (role: 'leader' | 'standby') => {
		const isLeader = role === 'leader';
		if (leader === isLeader) return;
		leader = isLeader;
		options.onRole(role);
	};

	const tryAcquire = async (): Promise<boolean> => {
		if (!options.lease) return true;
		let timeout: NodeJS.Timeout | undefined;
		// A database that hangs must not keep a leader leading past its lease.
		const late = new Promise<never>((_resolve, reject) => (timeout = setTimeout(() => reject(new Error('lease renewal timed out')), options.renewMs)));
		try {
			return await Promise.race([options.lease.tryAcquire(options.holder, options.ttlMs), late]);
		} finally {
			clearTimeout(timeout);
		}
	};

	const tick = async () => {
		const started = clock();
		try {
			const held = await tryAcquire();
			if (stopped) return;
			if (held) lastRenewedAt = started;
			become(held ? 'leader' : 'standby');
		} catch (error) {
			options.onError?.(error);
			// The lease is still ours until it expires: keep leading while a next renewal can still land in time.
			if (leader && clock() + options.renewMs >= lastRenewedAt + options.ttlMs) become('standby');
		}
	};

	const schedule = () => {
		if (stopped) return;
		timer = setTimeout(() => {
			round = tick().finally(schedule);
		}, options.renewMs);
	};

	round = tick();
	await round;
	schedule();

	return {
		isLeader: () => leader,
		async stop(release) {
			stopped = true;
			clearTimeout(timer);
			await round.catch(() => undefined);
			if (release && leader && options.lease) await options.lease.release(options.holder).catch(error => options.onError?.(error));
			leader = false;
		},
	};
}
