// `globobot-admin serve`: the listener, headless. JSON log lines go to stdout;
// the few lines meant for the person starting it (where it listens, what to
// register, warnings) go to stderr. SIGTERM or SIGINT closes it gracefully.
import {ConfigError, loadConfig, type Config, type ConfigFlags} from '../config.js';
import {checkListenerConfig, startListener} from '../../server/listener.js';
import {tuneHeapForListener} from '../../server/heapTuning.js';
import {createLogger, type Logger} from '../../server/logger.js';
import {targetUrlOf, type ListenerHandle} from '../../server/events.js';
import {processOutput, safeText, type Output} from './output.js';
import {CommandError} from './run.js';
import {untilSignal} from './untilSignal.js';

export interface ServeOptions extends ConfigFlags {
	/** For tests: resolves to stop instead of waiting for a signal. */
	until?: Promise<unknown>;
	/** Default: pino on stdout (pretty on a terminal). */
	logger?: Logger;
	/** For tests: called once listening. */
	onListening?: (listener: ListenerHandle) => void;
}

/** The human-readable lines go to `output.err`: stdout is the JSON log. */
export async function run(options: ServeOptions = {}, output: Output = processOutput()): Promise<number> {
	const config = loadConfig(pickFlags(options));
	refuseUnsafe(config);
	for (const warning of warningsFor(config)) output.err(`warning: ${warning}`);
	tuneHeapForListener();

	// Listening for signals before anything starts: a SIGTERM during start-up still ends in a clean close.
	const stopped = options.until ?? untilSignal();
	const logger = options.logger ?? createLogger({level: config.logLevel});
	const listener = await startListener(config, {logger});
	output.err(`globobot listening on ${listener.boundTo} as ${safeText(listener.bot.displayName)}; metrics at ${listener.metricsUrl}`);
	const target = targetUrlOf(listener);
	output.err(target ? `register this webhook target: ${target}` : 'receiving events over the Webex websocket (no webhook needed)');
	options.onListening?.(listener);

	const fatal = listener.fatal?.then(error => ({fatal: error}));
	const signal = await Promise.race([stopped, ...(fatal ? [fatal] : [])]);
	if (typeof signal === 'object' && signal !== null && 'fatal' in signal) {
		await listener.close();
		throw new CommandError((signal as {fatal: Error}).fatal.message, 2);
	}
	output.err(`${typeof signal === 'string' ? signal : 'stop'}: finishing replies in flight…`);
	await listener.close();
	return 0;
}

/** Not starting is better than running open: no token, or no way to verify deliveries. Checked before any warning is printed. */
function refuseUnsafe(config: Config): void {
	try {
		checkListenerConfig(config);
	} catch (error) {
		if (error instanceof ConfigError) throw new CommandError(error.message, 2);
		throw error;
	}
}

function warningsFor(config: Config): string[] {
	const warnings: string[] = [];
	if (config.allow.length === 0) warnings.push('GLOBOBOT_ALLOW is empty: only stored grants (`globobot-admin access grant`) let anyone see a balance');
	// The websocket is outbound: no deliveries to verify, no public port to protect.
	if (config.events === 'websocket') return warnings;
	if (config.webhookSecrets.length === 0) warnings.push('--allow-unsigned: deliveries are NOT verified; anyone who can reach this port can ask for replies');
	if (!config.tlsCert && config.publicUrl.startsWith('http://')) warnings.push('serving plain HTTP: Webex needs an HTTPS target (use --tls-cert/--tls-key or a TLS proxy)');
	return warnings;
}

function pickFlags(options: ServeOptions): ConfigFlags {
	const {port, host, publicUrl, apiUrl, database, tlsCert, tlsKey, allowUnsigned, logLevel, concurrency, events} = options;
	return {port, host, publicUrl, apiUrl, database, tlsCert, tlsKey, allowUnsigned, logLevel, concurrency, events};
}
