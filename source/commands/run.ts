// Runs a lazily loaded command module and turns its failure into an exit code:
// 2 for configuration and usage errors, 1 for everything else. Messages are one
// line; a stack trace is only printed with DEBUG set.
import {ConfigError} from '../configError.js';

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

export async function runCommand<Options>(load: () => Promise<CommandModule<Options>>, options: Options): Promise<void> {
	try {
		const module = await load();
		const code = await module.run(options);
		if (typeof code === 'number') process.exitCode = code;
	} catch (error) {
		const exitCode = error instanceof ConfigError || (error instanceof CommandError && error.exitCode === 2) ? 2 : 1;
		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(`globobot-admin: ${message.split('\n')[0]}\n`);
		// Read here rather than through Config: it must work when loading the configuration is what failed.
		if (process.env['DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
		process.exitCode = exitCode;
	}
}
