// Driving an Ink app in ink-testing-library the way a person types: one key,
// then let React commit and re-subscribe its input handlers (toolchain doc,
// pitfall 5: keys in one chunk reach a stale handler).
import {setImmediate as nextMacrotask, setTimeout as sleep} from 'node:timers/promises';

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	backspace: '\u007F',
	ctrlC: '\u0003',
} as const;

type Stdin = {write(data: string): void};
type LastFrame = () => string | undefined;

/**
 * Lets React commit and flush passive effects (where useInput re-subscribes).
 * The toolchain doc found 3 macrotasks enough for one small component; a whole
 * App renders in slices, and 3 lost a typed character now and then, so 10.
 */
export async function settle(rounds = 10): Promise<void> {
	for (let round = 0; round < rounds; round++) await nextMacrotask();
}

export async function press(stdin: Stdin, data: string): Promise<void> {
	stdin.write(data);
	await settle();
}

/** Types text one character at a time, settling after each. */
export async function type(stdin: Stdin, text: string): Promise<void> {
	for (const character of text) await press(stdin, character);
}

// eslint-disable-next-line no-control-regex
const ansi = /\u001B\[[\d;?]*[A-Za-z]/g;
export const plain = (frame: string | undefined) => (frame ?? '').replace(ansi, '');

/**
 * Polls the last frame (without colours) until `predicate` holds, then settles.
 * Fails with the last frame in the message, so a failing test shows the screen.
 */
export async function waitForFrame(lastFrame: LastFrame, predicate: (frame: string) => boolean, timeoutMs = 10_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const frame = plain(lastFrame());
		if (predicate(frame)) {
			await settle();
			return plain(lastFrame());
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for a frame; the last one was:\n${frame}`);
		await sleep(5);
	}
}

/** Waits for `text` to appear on screen. */
export const waitForText = async (lastFrame: LastFrame, text: string | RegExp, timeoutMs?: number) =>
	waitForFrame(lastFrame, frame => (typeof text === 'string' ? frame.includes(text) : text.test(frame)), timeoutMs);
