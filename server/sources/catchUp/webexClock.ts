// Webex's clock, as read from the `Date` header of its answers (§3.6). The
// watermark and the catch-up bound are Webex times: comparing them with our
// own clock would open a hole (or answer too much) whenever the two disagree.
import type {WebexClientObserver} from '../../../source/webex/types.js';

export interface WebexClock {
	/** Webex's time now (epoch ms): our clock plus the last offset seen; ours until Webex has answered once. */
	now(): number;
	/** Feed to the Webex client (alongside any other observer). */
	readonly observer: WebexClientObserver;
	/** Whether any answer has set the offset yet. */
	readonly synced: boolean;
}

export function createWebexClock(local: () => number = Date.now): WebexClock {
	let offset = 0;
	let synced = false;
	return {
		now: () => local() + offset,
		get synced() {
			return synced;
		},
		observer: {
			onResponse({date}) {
				const webexAt = date === undefined ? Number.NaN : Date.parse(date);
				if (Number.isNaN(webexAt)) return;
				// `Date` has whole seconds and is stamped before the answer travelled: this
				// under-estimates Webex's time by up to a second, which only widens a gap.
				offset = webexAt - local();
				synced = true;
			},
		},
	};
}

/** Both observers see every answer. */
export function bothObservers(a: WebexClientObserver | undefined, b: WebexClientObserver): WebexClientObserver {
	return {
		onResponse(info) {
			a?.onResponse?.(info);
			b.onResponse?.(info);
		},
		onRetry(info) {
			a?.onRetry?.(info);
			b.onRetry?.(info);
		},
	};
}
