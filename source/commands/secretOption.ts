// A webhook secret given on the command line shows in `ps` and in shell
// history, so it can also come from a file (--secret-file) or standard input
// (--secret-stdin). The first line is the secret; surrounding spaces are not.
import {readFile} from 'node:fs/promises';
import {CommandError} from './run.js';

export interface SecretOptions {
	secret?: string;
	secretFile?: string;
	secretStdin?: boolean;
}

async function readStdin(): Promise<string> {
	if (process.stdin.isTTY) process.stderr.write('webhook secret (then Enter and Ctrl-D): ');
	let text = '';
	for await (const chunk of process.stdin) text += String(chunk);
	return text;
}

/** The secret from whichever of --secret, --secret-file and --secret-stdin was given (at most one), else undefined. */
export async function readSecretOption(options: SecretOptions, stdin: () => Promise<string> = readStdin): Promise<string | undefined> {
	const given = [options.secret !== undefined, options.secretFile !== undefined, options.secretStdin === true].filter(Boolean).length;
	if (given > 1) throw new CommandError('give only one of --secret, --secret-file and --secret-stdin', 2);
	if (options.secret !== undefined) return checked(options.secret, '--secret');
	if (options.secretFile !== undefined) {
		let text: string;
		try {
			text = await readFile(options.secretFile, 'utf8');
		} catch (error) {
			throw new CommandError(`--secret-file ${options.secretFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 2);
		}
		return checked(firstLine(text), '--secret-file');
	}
	if (options.secretStdin) return checked(firstLine(await stdin()), '--secret-stdin');
	return undefined;
}

const firstLine = (text: string) => text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';

function checked(secret: string, option: string): string {
	const trimmed = secret.trim();
	// The length rule of WEBHOOK_SECRET; the secret itself never goes into the message.
	if (trimmed.length < 8) throw new CommandError(`${option}: a webhook secret must be at least 8 characters`, 2);
	return trimmed;
}
