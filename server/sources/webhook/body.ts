// Reads a request's raw body once, bounded. The signature is over these exact
// bytes, so nothing may parse or re-encode the body before verify.
import type {IncomingMessage} from 'node:http';

/**
 * A Webex envelope carries ids, never the message text: a few hundred bytes. Anything over 64 KiB is not a
 * delivery. The cap also bounds what slow senders can make us hold: at most GLOBOBOT_MAX_CONNECTIONS × 64 KiB.
 */
export const maxBodyBytes = 64 * 1024;

export class BodyTooLargeError extends Error {
	override name = 'BodyTooLargeError';
	readonly status = 413;
}

/**
 * Collects the body; rejects with BodyTooLargeError as soon as it passes `limit`
 * (at once when Content-Length says so). The rest is discarded rather than the
 * socket destroyed, so the sender still reads our 413.
 */
export async function readRawBody(request: IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
	const declared = Number(request.headers['content-length']);
	if (Number.isFinite(declared) && declared > limit) {
		request.resume();
		throw new BodyTooLargeError('request body too large');
	}
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size <= limit) {
				chunks.push(chunk);
				return;
			}
			cleanup();
			request.resume();
			reject(new BodyTooLargeError('request body too large'));
		};
		const onEnd = () => {
			cleanup();
			resolve(Buffer.concat(chunks));
		};
		const onError = (error: Error) => {
			cleanup();
			reject(error);
		};
		const cleanup = () => {
			request.off('data', onData);
			request.off('end', onEnd);
			request.off('error', onError);
		};
		request.on('data', onData);
		request.on('end', onEnd);
		request.on('error', onError);
	});
}
