// Is a delivery really from Webex? Webex signs the exact bytes
// it sends with HMAC-SHA1 keyed by the webhook's secret, hex-encoded, in
// X-Spark-Signature. We check the raw bytes (never re-serialised JSON) and
// compare in constant time so the answer leaks nothing about the secret.
import {createHmac, timingSafeEqual} from 'node:crypto';

const hexSha1 = /^[\da-f]{40}$/i;

/** The hex HMAC-SHA1 Webex would send for `rawBody` signed with `secret`. */
export function signatureOf(rawBody: Buffer | string, secret: string): string {
	return createHmac('sha1', secret).update(rawBody).digest('hex');
}

/** True when `header` is the signature of `rawBody` under any of `secrets` (several during a rotation). */
export function verifySignature(rawBody: Buffer, header: string | undefined, secrets: readonly string[]): boolean {
	const candidate = header?.trim();
	if (!candidate || !hexSha1.test(candidate)) return false;
	const received = Buffer.from(candidate.toLowerCase(), 'hex');
	// Every secret is tried, even after a match, so timing doesn't reveal which one matched.
	let matched = false;
	for (const secret of secrets) {
		const expected = Buffer.from(signatureOf(rawBody, secret), 'hex');
		if (timingSafeEqual(expected, received)) matched = true;
	}
	return matched;
}
