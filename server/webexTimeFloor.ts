// A floor under Webex's clock, for reconciling a send: every message Webex shows us was
// created no later than the moment its answer reached us, so `created` minus
// our receipt time is a lower bound of Webex's offset from our clock. The
// largest recent bound is the tightest; the `created` of our own replies
// makes it tight to the round trip. Used to say "no message created before
// this moment can be the POST we begin now". (Catch-up's watermark needs an
// estimate of Webex's time instead, not a floor: sources/catchUp/webexClock.ts.)
export interface WebexTimeFloor {
	/** A message Webex showed us, `created` on its clock, received at `receivedAt` on ours. */
	observe(created: string | undefined, receivedAt: number): void;
	/** A time on Webex's clock that has certainly passed at our `now`; undefined without a recent observation. */
	lowerBound(now: number): number | undefined;
}

/** Observations older than this are dropped, so the drift between the two clocks cannot make a bound wrong. */
const maxAgeMs = 10 * 60_000;

export function createWebexTimeFloor(): WebexTimeFloor {
	let offset: number | undefined;
	let observedAt = 0;
	return {
		observe(created, receivedAt) {
			const at = created === undefined ? Number.NaN : Date.parse(created);
			if (!Number.isFinite(at)) return;
			const bound = at - receivedAt;
			if (offset === undefined || receivedAt - observedAt > maxAgeMs || bound > offset) {
				offset = bound;
				observedAt = receivedAt;
			}
		},
		lowerBound(now) {
			if (offset === undefined || now - observedAt > maxAgeMs) return undefined;
			return now + offset;
		},
	};
}
