// Keys for components, one keypress at a time. The KeyProvider (at the root of
// the App) hands each keypress of a burst to the handlers only after React has
// committed what the previous one changed, so a handler always sees the state
// its key was typed into: "Up Right" in one read moves to the field above and
// then chooses there, as the two keys typed apart would.
import {useStdin, type Key} from 'ink';
import {createContext, useContext, useLayoutEffect, useRef} from 'react';
import {actionFor, type Action, type Scope, type ScopeOptions} from '../keymap.js';

export type KeyHandler = (input: string, key: Key) => void;

export interface KeyListener {
	handler: KeyHandler;
	active: boolean;
}

export interface KeyDispatch {
	/** Adds a listener; returns its removal. */
	subscribe(listener: KeyListener): () => void;
}

export const KeyContext = createContext<KeyDispatch | undefined>(undefined);

/**
 * False where there is no raw mode (a pipe, CI): Ink reports
 * isRawModeSupported as undefined, not false, for a non-TTY (toolchain pitfall 4).
 */
export function useInteractive(): boolean {
	return useStdin().isRawModeSupported === true;
}

export function useKeys(handler: KeyHandler, active = true): void {
	const dispatch = useContext(KeyContext);
	if (!dispatch) throw new Error('useKeys needs a <KeyProvider> above it');
	const listener = useRef<KeyListener>({handler, active});
	// Before the provider hands over the next key (it waits for the commit), the listener holds this render's handler.
	useLayoutEffect(() => {
		listener.current.handler = handler;
		listener.current.active = active;
	});
	useLayoutEffect(() => dispatch.subscribe(listener.current), [dispatch]);
}

/** useKeys through the keymap: the handler gets the action a key means in `scope`, never the key itself. */
export function useAction(scope: Scope, handler: (action: Action, input: string, key: Key) => void, active = true, options: ScopeOptions = {}): void {
	useKeys((input, key) => {
		const action = actionFor(scope, input, key, options);
		if (action) handler(action, input, key);
	}, active);
}
