// Where every command prints, in one shape: `out` for the result (stdout),
// `err` for what a person needs to know on the way (stderr), `json` for
// `--json` (stdout). Text from outside (Webex names, URLs, file contents) is
// passed through safeText by the command before it gets here; JSON needs no
// such care, since JSON.stringify escapes every control character.
import {safeText} from '../terminal/safeText.js';

export interface Output {
	out(line: string): void;
	err(line: string): void;
	json(value: unknown): void;
	/** Whether `out` goes to a colour terminal: marks such as ✔/✘ may be coloured. */
	readonly colour: boolean;
}

type Env = Record<string, string | undefined>;

/**
 * Colour only on a terminal, never with NO_COLOR (https://no-color.org).
 * Read here, like DEBUG in run.ts, because it is about the terminal and not
 * the configuration: it must hold even when the configuration fails to load.
 */
export function wantsColour(stream: {isTTY?: boolean}, env: Env = process.env): boolean {
	return stream.isTTY === true && !env['NO_COLOR'] && env['TERM'] !== 'dumb';
}

export function processOutput(env: Env = process.env): Output {
	return {
		out: line => process.stdout.write(line + '\n'),
		err: line => process.stderr.write(line + '\n'),
		json: value => process.stdout.write(JSON.stringify(value, null, 2) + '\n'),
		colour: wantsColour(process.stdout, env),
	};
}

/** An Output that keeps what was printed, for tests and for callers that print it elsewhere. */
export function collectOutput(options: {colour?: boolean} = {}): Output & {stdout: string; stderr: string} {
	const collected = {
		stdout: '',
		stderr: '',
		out: (line: string) => void (collected.stdout += line + '\n'),
		err: (line: string) => void (collected.stderr += line + '\n'),
		json: (value: unknown) => void (collected.stdout += JSON.stringify(value, null, 2) + '\n'),
		colour: options.colour ?? false,
	};
	return collected;
}

const sgr = {green: 32, red: 31, bold: 1} as const;

/** `text` in a colour when the output takes colour; plain otherwise. */
export function paint(output: Pick<Output, 'colour'>, colour: keyof typeof sgr, text: string): string {
	return output.colour ? `\u001B[${sgr[colour]}m${text}\u001B[0m` : text;
}

export {safeText};
