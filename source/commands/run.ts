// Runs a lazily loaded command module and turns its failure into an exit code:
// 2 for configuration and usage errors, 1 for everything else. Messages are one
// line, made safe for the terminal (they can quote Webex or a file); a stack
// trace is only printed with DEBUG set.
import {ConfigError} from '../configError.js';
import {safeText} from '../terminal/safeText.js';

export interface CommandModule<Options> {
	run(options: Options): Promise<number | void>;
}

/** A failure the user can act on: printed as one line, exit code as given. */
export class CommandError extends Error {
	override name = 'CommandError';
	constructor(
		message: string,
		readonly exitCode: 1 | 2 = 1,
	) {
		super(message);
	}
}

/** The line printed for a failed command: the first line of its message, every control character escaped. */
export function errorLine(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return `globobot-admin: ${safeText(message.split('\n')[0] ?? '')}`;
}

export async function runCommand<Options>(load: () => Promise<CommandModule<Options>>, options: Options): Promise<void> {
	try {
		const module = await load();
		const code = await module.run(options);
		if (typeof code === 'number') process.exitCode = code;
	} catch (error) {
		const exitCode = error instanceof ConfigError || (error instanceof CommandError && error.exitCode === 2) ? 2 : 1;
		process.stderr.write(`${errorLine(error)}\n`);
		// Read here rather than through Config: it must work when loading the configuration is what failed.
		if (process.env['DEBUG'] && error instanceof Error) process.stderr.write(`${(error.stack ?? '').split('\n').map(line => safeText(line)).join('\n')}\n`);
		process.exitCode = exitCode;
	}
}
