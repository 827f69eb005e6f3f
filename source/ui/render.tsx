// Draws the App on the real terminal until the operator quits. Loaded lazily
// by the tui command, after its TTY check, so a pipe never evaluates Ink.
import {render} from 'ink';
import {App, type AppProps} from './App.js';

export async function renderTui(props: AppProps): Promise<void> {
	// Ctrl-C is the App's: it stops the listener before exiting.
	const instance = render(<App {...props} />, {exitOnCtrlC: false});
	await instance.waitUntilExit();
}
