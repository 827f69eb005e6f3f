// Kept apart from config.ts so that code which only needs to recognise a
// configuration error (the command runner every command goes through) does
// not load the validation library at start-up.

/** A bad configuration: the message is one line, safe to print (it never contains a token or secret). */
export class ConfigError extends Error {
	override name = 'ConfigError';
	readonly exitCode = 2;
}
