// useInput that is switched off where there is no raw mode (a pipe, CI):
// Ink reports isRawModeSupported as undefined, not false, for a non-TTY, and
// useInput only stays passive on an explicit false (toolchain pitfall 4).
import {useInput, useStdin, type Key} from 'ink';

export function useInteractive(): boolean {
	return useStdin().isRawModeSupported === true;
}

export function useKeys(handler: (input: string, key: Key) => void, active = true): void {
	const interactive = useInteractive();
	useInput(handler, {isActive: active && interactive});
}
