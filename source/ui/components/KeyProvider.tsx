// The one reader of the keyboard. Ink's useInput gives a burst (a paste, a
// key repeat) as one string and loses what it was, so this reads Ink's
// tokenised input, splits it into keypresses (keypress.ts) and hands them to
// the useKeys handlers one per commit.
import {useStdin} from 'ink';
import {useEffect, useMemo, useRef, useState, type ReactNode} from 'react';
import {KeyContext, useInteractive, type KeyDispatch, type KeyListener} from '../hooks/useKeys.js';
import {keypresses, type Keypress} from '../keypress.js';

export function KeyProvider({children}: {children: ReactNode}) {
	// internal_eventEmitter carries each raw sequence Ink's tokenizer cut; it is typed in Ink's StdinContext.
	const {setRawMode, internal_eventEmitter: input} = useStdin();
	const interactive = useInteractive();
	const listeners = useRef(new Set<KeyListener>());
	const queue = useRef<Keypress[]>([]);
	/** A key was handed over and its changes are not committed yet: the next one waits. */
	const waiting = useRef(false);
	const [turn, setTurn] = useState(0);

	const dispatch = useMemo<KeyDispatch>(
		() => ({
			subscribe(listener) {
				listeners.current.add(listener);
				return () => listeners.current.delete(listener);
			},
		}),
		[],
	);

	const handOver = useRef(() => {
		const next = queue.current.shift();
		if (!next) {
			waiting.current = false;
			return;
		}
		waiting.current = true;
		for (const listener of [...listeners.current]) if (listener.active) listener.handler(next.input, next.key);
		// Re-render this provider: its effect runs once what the handlers changed is committed.
		setTurn(current => current + 1);
	});

	useEffect(() => {
		if (!interactive) return;
		setRawMode(true);
		const onInput = (chunk: string) => {
			queue.current.push(...keypresses(chunk));
			// A key on its own is handled at once, as useInput would; the rest of a burst after each commit.
			if (!waiting.current) handOver.current();
		};
		input.on('input', onInput);
		return () => {
			input.off('input', onInput);
			setRawMode(false);
		};
	}, [interactive, setRawMode, input]);

	// The last key's changes are committed. The next one goes in the next macrotask: a long paste neither
	// nests React updates nor holds the event loop (output, timers and the listener keep running).
	useEffect(() => {
		if (turn === 0) return;
		if (queue.current.length === 0) {
			waiting.current = false;
			return;
		}
		const next = setImmediate(() => handOver.current());
		return () => clearImmediate(next);
	}, [turn]);

	return <KeyContext.Provider value={dispatch}>{children}</KeyContext.Provider>;
}
