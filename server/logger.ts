// The listener's structured log. JSON lines for machines (serve), pretty when
// a person watches a terminal. Callers log ids and outcomes only: never a
// token, secret, message text or balance. As a second line of defence the
// fields that could carry one are redacted.
import {pino, type Logger} from 'pino';

export type {Logger} from 'pino';

export interface LoggerOptions {
	level?: string;
	/** Pretty output (pino-pretty); default: when stdout is a terminal. */
	pretty?: boolean;
	/** Where JSON lines go; default stdout. */
	destination?: NodeJS.WritableStream;
}

const redact = {
	paths: ['token', 'secret', 'text', 'markdown', 'html', 'balance', 'authorization', '*.token', '*.secret', '*.text', '*.markdown', '*.html', '*.authorization', 'headers.authorization'],
	censor: '[redacted]',
};

export function createLogger(options: LoggerOptions = {}): Logger {
	const level = options.level ?? 'info';
	const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
	if (pretty) {
		return pino({level, redact, transport: {target: 'pino-pretty', options: {colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname'}}});
	}
	return pino({level, redact, base: {service: 'globobot'}}, (options.destination ?? process.stdout) as Parameters<typeof pino>[1]);
}

/** A logger that drops everything, for embedding (the TUI shows events instead). */
export function silentLogger(): Logger {
	return pino({level: 'silent'});
}
