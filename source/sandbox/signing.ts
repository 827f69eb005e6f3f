// Webex signs each delivery with X-Spark-Signature: the hex HMAC-SHA1 of the
// exact body bytes, keyed by the webhook's secret.
import {createHmac} from 'node:crypto';

export function signBody(secret: string, body: string | Buffer): string {
	return createHmac('sha1', secret).update(body).digest('hex');
}
