// Flags + environment → one validated Config. This is the only module that
// reads process.env; everything else receives a Config.
import {createPrivateKey, X509Certificate, type KeyObject} from 'node:crypto';
import {readFileSync, statSync} from 'node:fs';
import {isIP} from 'node:net';
import {homedir} from 'node:os';
import path from 'node:path';
import {z} from 'zod';
import {AccountPatternError, compileAccountPattern} from './accountPattern.js';
import {ConfigError} from './configError.js';
import {durationMs, parseDuration} from './timeSpec.js';
import {readCrmSettings, type CrmSettings} from './crm/sources/settings.js';
import {PrivateFileError, readPrivateFile} from './privateFiles.js';

export type GroupReply = 'dm' | 'room';

// The CRM_* settings (where balances come from) are read and checked in crm/sources/settings.ts.
export interface Config extends CrmSettings, ExposureSettings {
	/** Bot access token; undefined means "no Webex configured" (the demo falls back to the sandbox). */
	webexToken?: string;
	webexApiUrl: string;
	port: number;
	host: string;
	/** Externally reachable base URL of the listener, without a trailing slash. */
	publicUrl: string;
	webhookPath: string;
	/** The first signs new webhooks; any verifies deliveries. Empty: none configured. */
	webhookSecrets: string[];
	/** Where a generated secret is kept (owner-only permissions) when WEBHOOK_SECRET is not set. */
	secretFile: string;
	databaseUrl: string;
	/** Entries of GLOBOBOT_ALLOW: emails, @domains, or '*'. Empty: nobody (fail closed). */
	allow: string[];
	groupReply: GroupReply;
	/** Source of the account-id pattern, matched case-insensitively. */
	accountPattern: string;
	/** Replies processed at once. */
	concurrency: number;
	/** The longest Retry-After a Webex call waits for (GLOBOBOT_MAX_RETRY_AFTER); past it the call gives up and the event is retried later. */
	maxRetryAfterMs: number;
	tlsCert?: string;
	tlsKey?: string;
	allowUnsigned: boolean;
	logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
	/** Folder for globobot's own files (default database, generated secret). */
	home: string;
	/** GLOBOBOT_LIMIT_LOOKUPS: account ids one requester may ask for per window (default 30/10m). */
	limitLookups: RateLimit;
	/** GLOBOBOT_LIMIT_MISSES: unknown or denied ids one requester may ask for per window (default 10/1h). */
	limitMisses: RateLimit;
	/** GLOBOBOT_WEBHOOK_CHECK: how often (ms) the listener's watchdog lists the webhooks and reactivates its own; 0: off. */
	webhookCheckMs: number;
	/** GLOBOBOT_AUDIT_RETENTION (default 400d, beyond PCI DSS's year): audit entries older than this are pruned, in milliseconds. */
	auditRetentionMs: number;
	/** GLOBOBOT_CATCH_UP: how far back (ms) questions missed while the listener was down are still answered; 0: catch-up off. */
	catchUpMs: number;
	/** GLOBOBOT_CATCH_UP_EVERY: how often (ms) catch-up also reads what came since its last pass, for a delivery that failed while the listener ran; 0: only on the triggers. */
	catchUpEveryMs: number;
	/** GLOBOBOT_RETENTION (default 30d): finished events are forgotten after this long, in milliseconds. */
	retentionMs: number;
	/** GLOBOBOT_SEND_TIMEOUT (default 5s): how long one reply POST may take before it counts as ambiguous. */
	sendTimeoutMs: number;
	// Websocket delivery (issue 18) -------------------------------------------
	/** GLOBOBOT_EVENTS / --events: how Webex tells the bot about messages. */
	events: EventsMode;
	/** WEBEX_CATALOG_URL: where the websocket client discovers every other Webex host. */
	webexCatalogUrl: string;
	/** GLOBOBOT_DEVICE_NAME: the device registration globobot reuses (replicas of one bot share it). */
	deviceName: string;
	/** GLOBOBOT_DELETE_DEVICE: delete that device on a graceful shutdown. */
	deleteDevice: boolean;
	/** HTTPS_PROXY: a CONNECT proxy for every call to Webex, REST and websocket. May hold credentials: never print it. */
	httpsProxy?: string;
	/** NO_PROXY: hosts reached directly although HTTPS_PROXY is set (curl's rules: source/webex/noProxy.ts). */
	noProxy?: string;
}

/** At most `max` per sliding window of `windowMs`, from text like "30/10m". */
export interface RateLimit {
	max: number;
	windowMs: number;
}

export type EventsMode = 'webhook' | 'websocket';

/** Command-line flags that override the environment (commander's camelCase names). */
export interface ConfigFlags {
	port?: string | number;
	host?: string;
	publicUrl?: string;
	apiUrl?: string;
	database?: string;
	tlsCert?: string;
	tlsKey?: string;
	allowUnsigned?: boolean;
	logLevel?: string;
	concurrency?: string | number;
	events?: string;
}

export {ConfigError};

type Env = Record<string, string | undefined>;

const nonEmpty = (value: string | undefined) => {
	const trimmed = value?.trim();
	return trimmed ? trimmed : undefined;
};

const httpUrl = (name: string) =>
	z
		.string()
		.refine(value => {
			try {
				const url = new URL(value);
				return url.protocol === 'http:' || url.protocol === 'https:';
			} catch {
				return false;
			}
		}, `${name} must be an absolute http(s) URL`)
		.transform(value => value.replace(/\/+$/, ''));

const port = (name: string) =>
	z.coerce
		.number({error: `${name} must be a number`})
		.int(`${name} must be a whole number`)
		.min(0, `${name} must be between 0 and 65535`)
		.max(65_535, `${name} must be between 0 and 65535`);

const allowEntry = z.string().refine(entry => entry === '*' || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(entry) || /^@[^@\s]+\.[^@\s]+$/.test(entry), {
	error: issue => `GLOBOBOT_ALLOW entry "${String(issue.input)}" must be an email, an @domain or *`,
});

/** An IP address, or a host name made of DNS labels; `256.1.1.1` is neither. */
const hostName = /^(?=.{1,253}$)(?!\d+(?:\.\d+)*$)[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)*$/i;

const host = z.string().refine(value => isIP(value) !== 0 || hostName.test(value), {
	error: issue => `HOST "${String(issue.input)}" must be an IP address (e.g. 0.0.0.0, 127.0.0.1, ::) or a host name`,
});

/** `300`, `300s`, `5m`, `1h`, `1500ms` → milliseconds (a bare number is seconds, like Retry-After). */
const duration = (name: string, {min, max}: {min: number; max: number}) =>
	z
		.string()
		.transform((value, context) => {
			// A bare number is seconds, as in Retry-After itself.
			const ms = durationMs(value, {bareUnitMs: 1000, decimals: true}) ?? Number.NaN;
			if (!(ms >= min && ms <= max)) {
				context.addIssue({code: 'custom', message: `${name} must be a duration from ${min / 1000}s to ${max / 3_600_000}h, like 300s, 5m or 1h; got "${value}"`});
				return z.NEVER;
			}
			return ms;
		});

/**
 * A postgres:// URL must say which user to connect as, or the environment must
 * (PGUSER, USER, as the driver reads them): otherwise the driver fails later
 * with "no PostgreSQL user name specified in startup packet".
 */
function postgresUrlProblem(value: string, env: Env): string | undefined {
	if (!/^postgres(?:ql)?:\/\//i.test(value)) return undefined;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return 'DATABASE_URL is not a valid postgres:// URL';
	}
	if (url.username === '' && !nonEmpty(env['PGUSER']) && !nonEmpty(env['USER'])) return 'DATABASE_URL names no user: use postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE';
	return undefined;
}

const schema = z.object({
	webexToken: z.string().optional(),
	webexApiUrl: httpUrl('WEBEX_API_URL'),
	port: port('PORT'),
	host,
	publicUrl: httpUrl('PUBLIC_URL'),
	webhookPath: z.string().regex(/^\/[\w\-./]*$/, 'WEBHOOK_PATH must start with / and contain only URL path characters'),
	webhookSecrets: z.array(z.string().min(8, 'each WEBHOOK_SECRET must be at least 8 characters')),
	databaseUrl: z.string().min(1),
	allow: z.array(allowEntry),
	groupReply: z.enum(['dm', 'room'], {error: 'GLOBOBOT_GROUP_REPLY must be "dm" or "room"'}),
	// Compiled exactly as the listener runs it (source/accountPattern.ts), so what starts also works.
	accountPattern: z.string().superRefine((source, context) => {
		try {
			compileAccountPattern(source);
		} catch (error) {
			if (!(error instanceof AccountPatternError)) throw error;
			context.addIssue({code: 'custom', message: error.message});
		}
	}),
	concurrency: z.coerce.number({error: 'GLOBOBOT_CONCURRENCY must be a number'}).int().min(1, 'GLOBOBOT_CONCURRENCY must be at least 1').max(256, 'GLOBOBOT_CONCURRENCY must be at most 256'),
	logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'}),
	maxRetryAfterMs: duration('GLOBOBOT_MAX_RETRY_AFTER', {min: 1000, max: 24 * 3_600_000}),
});

const splitList = (value: string | undefined) =>
	(value ?? '')
		.split(',')
		.map(part => part.trim())
		.filter(Boolean);

function readableFile(name: string, file: string | undefined): string | undefined {
	if (!file) return undefined;
	try {
		if (!statSync(file).isFile()) throw new Error('not a file');
	} catch {
		throw new ConfigError(`${name} file not found or unreadable: ${file}`);
	}
	return path.resolve(file);
}

/** Parsed here, so a file that is not PEM stops the start with the setting's name rather than an OpenSSL code from the server. */
function checkTls(certFile: string, keyFile: string): void {
	let cert: X509Certificate;
	let key: KeyObject;
	try {
		cert = new X509Certificate(readFileSync(certFile));
	} catch {
		throw new ConfigError(`TLS_CERT (--tls-cert) ${certFile} is not a PEM certificate`);
	}
	try {
		key = createPrivateKey(readFileSync(keyFile));
	} catch {
		throw new ConfigError(`TLS_KEY (--tls-key) ${keyFile} is not a PEM private key (or it is encrypted)`);
	}
	if (!cert.checkPrivateKey(key)) throw new ConfigError(`TLS_KEY (--tls-key) ${keyFile} is not the private key of TLS_CERT ${certFile}`);
}

/** The generated secret, if any; a symlink or another user's file there stops the start rather than being trusted. */
function readSecretFile(file: string): string[] {
	try {
		return splitList(readPrivateFile(file) ?? '');
	} catch (error) {
		if (error instanceof PrivateFileError) throw new ConfigError(`the webhook secret file ${error.message}`);
		throw new ConfigError(`the webhook secret file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
	}
}

/** "30/10m" → 30 per 10 minutes; the window is a whole number of s, m, h or d (a bare unit means one). */
export function parseRateLimit(name: string, text: string): RateLimit {
	const match = /^(\d{1,9})\s*\/\s*(\d{0,6})\s*([smhd])$/.exec(text.trim());
	const max = Number(match?.[1]);
	const windowMs = match ? (durationMs(`${match[2] || 1}${match[3]}`) ?? Number.NaN) : Number.NaN;
	if (!match || !(max >= 1) || !(windowMs >= 1000)) throw new ConfigError(`${name} must look like 30/10m: a count of at least 1, "/", then a window in s, m, h or d`);
	return {max, windowMs};
}

function rateLimits(env: Env): Pick<Config, 'limitLookups' | 'limitMisses'> {
	return {
		limitLookups: parseRateLimit('GLOBOBOT_LIMIT_LOOKUPS', nonEmpty(env['GLOBOBOT_LIMIT_LOOKUPS']) ?? '30/10m'),
		limitMisses: parseRateLimit('GLOBOBOT_LIMIT_MISSES', nonEmpty(env['GLOBOBOT_LIMIT_MISSES']) ?? '10/1h'),
	};
}

/** Reads and validates the configuration; throws ConfigError with a one-line reason. */
export function loadConfig(flags: ConfigFlags = {}, env: Env = process.env): Config {
	const home = nonEmpty(env['GLOBOBOT_HOME']) ?? path.join(homedir(), '.globobot');
	const secretFile = path.join(home, 'webhook-secret');
	const envSecrets = splitList(env['WEBHOOK_SECRET']);
	const apiUrlRaw = nonEmpty(flags.apiUrl) ?? nonEmpty(env['WEBEX_API_URL']);
	const portRaw = flags.port ?? nonEmpty(env['PORT']) ?? 5000;
	const host = nonEmpty(flags.host) ?? nonEmpty(env['HOST']) ?? '0.0.0.0';

	const parsed = schema.safeParse({
		webexToken: nonEmpty(env['WEBEX_TOKEN']) ?? nonEmpty(env['WT_API_TOKEN']),
		webexApiUrl: apiUrlRaw ?? 'https://webexapis.com/v1',
		port: portRaw,
		host,
		publicUrl: nonEmpty(flags.publicUrl) ?? nonEmpty(env['PUBLIC_URL']) ?? `http://localhost:${String(portRaw)}`,
		webhookPath: nonEmpty(env['WEBHOOK_PATH']) ?? '/wtwebhook',
		webhookSecrets: envSecrets.length > 0 ? envSecrets : readSecretFile(secretFile),
		databaseUrl: nonEmpty(flags.database) ?? nonEmpty(env['DATABASE_URL']) ?? path.join(home, 'crm.db'),
		allow: splitList(env['GLOBOBOT_ALLOW']).map(entry => entry.toLowerCase()),
		groupReply: nonEmpty(env['GLOBOBOT_GROUP_REPLY']) ?? 'dm',
		accountPattern: nonEmpty(env['GLOBOBOT_ACCOUNT_PATTERN']) ?? 'ACCT\\d+',
		// Replies in flight = rate × reply time (Little's law): 1,000/s × two 50 ms calls is 100, and a slow
		// Webex doubles it. Each waits on I/O, so a high cap costs sockets and a little memory, not CPU.
		concurrency: flags.concurrency ?? nonEmpty(env['GLOBOBOT_CONCURRENCY']) ?? 256,
		maxRetryAfterMs: nonEmpty(env['GLOBOBOT_MAX_RETRY_AFTER']) ?? '5m',
		logLevel: nonEmpty(flags.logLevel) ?? nonEmpty(env['LOG_LEVEL']) ?? 'info',
	});
	if (!parsed.success) {
		// Only the first problem, on one line; zod's messages above never echo a token or secret.
		const issue = parsed.error.issues[0];
		throw new ConfigError(issue?.message ?? 'invalid configuration');
	}

	const databaseProblem = postgresUrlProblem(parsed.data.databaseUrl, env);
	if (databaseProblem) throw new ConfigError(databaseProblem);

	const tlsCert = readableFile('--tls-cert', nonEmpty(flags.tlsCert) ?? nonEmpty(env['TLS_CERT']));
	const tlsKey = readableFile('--tls-key', nonEmpty(flags.tlsKey) ?? nonEmpty(env['TLS_KEY']));
	if (Boolean(tlsCert) !== Boolean(tlsKey)) throw new ConfigError('--tls-cert and --tls-key must be given together');
	if (tlsCert && tlsKey) checkTls(tlsCert, tlsKey);

	const catchUpMs = readCatchUp(env['GLOBOBOT_CATCH_UP']);
	const retentionMs = readRetention(env['GLOBOBOT_RETENTION'], catchUpMs);
	const sendTimeoutMs = durationMs(nonEmpty(env['GLOBOBOT_SEND_TIMEOUT']) ?? '5s') ?? Number.NaN;
	if (!(sendTimeoutMs >= 1000 && sendTimeoutMs <= 120_000)) throw new ConfigError('GLOBOBOT_SEND_TIMEOUT must be a duration from 1s to 2m, such as 5s');

	let auditRetentionMs: number;
	try {
		auditRetentionMs = parseDuration(nonEmpty(env['GLOBOBOT_AUDIT_RETENTION']) ?? '400d', 'GLOBOBOT_AUDIT_RETENTION');
	} catch (error) {
		throw new ConfigError((error as Error).message);
	}

	return {
		...readCrmSettings(env),
		...parsed.data,
		auditRetentionMs,
		catchUpMs,
		catchUpEveryMs: readCatchUpEvery(env['GLOBOBOT_CATCH_UP_EVERY']),
		retentionMs,
		sendTimeoutMs,
		secretFile,
		tlsCert,
		tlsKey,
		allowUnsigned: flags.allowUnsigned === true || env['GLOBOBOT_ALLOW_UNSIGNED'] === '1',
		home,
		...rateLimits(env),
		webhookCheckMs: readWebhookCheck(env['GLOBOBOT_WEBHOOK_CHECK']),
		...exposureSettings(host, env),
		...websocketSettings(flags, env),
	};
}

// --- GLOBOBOT_WEBHOOK_CHECK (the webhook watchdog, issue 16) -----------------
/** `60s` (default), `5m`, `1h`, or `0` (off); from 1 s to 1 d. A bare number other than 0 is refused: seconds or minutes would be a guess. */
function readWebhookCheck(raw: string | undefined): number {
	const value = nonEmpty(raw) ?? '60s';
	if (value === '0') return 0;
	const units: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};
	const match = /^(\d{1,6})\s*([smhd])$/i.exec(value);
	const ms = match ? Number(match[1]) * (units[match[2]!.toLowerCase()] ?? Number.NaN) : Number.NaN;
	if (!(ms >= 1000 && ms <= units['d']!)) {
		throw new ConfigError(`GLOBOBOT_WEBHOOK_CHECK must be a duration from 1s to 1d such as 60s or 5m, or 0 to turn the watchdog off (got "${value.slice(0, 20).replace(/[^\x20-\x7e]/g, '?')}")`);
	}
	return ms;
}
// --- end GLOBOBOT_WEBHOOK_CHECK ------------------------------------------------

// --- GLOBOBOT_CATCH_UP (catch-up after downtime) ---------------------------

/**
 * A duration for `name`, or `0` for off; `wording` says the range and what 0 means. A bare number other
 * than 0 is refused: seconds or hours would be a guess.
 */
function durationOrOff(name: string, raw: string | undefined, fallback: string, {min, max}: {min: number; max: number}, wording: string): number {
	const value = nonEmpty(raw) ?? fallback;
	if (value === '0') return 0;
	const ms = durationMs(value) ?? Number.NaN;
	if (!Number.isSafeInteger(ms) || ms < min || ms > max) {
		throw new ConfigError(`${name} must be a duration ${wording} (got "${value.slice(0, 20).replace(/[^\x20-\x7e]/g, '?')}")`);
	}
	return ms;
}

/** `1h` (default), `30m`, `90s`, `2d`, or `0` (off). */
const readCatchUp = (raw: string | undefined) =>
	durationOrOff('GLOBOBOT_CATCH_UP', raw, '1h', {min: 1, max: 7 * 86_400_000}, 'up to 7d such as 1h, 30m or 90s, or 0 to turn catch-up off');

/** `5m` (default), `1m`, `30s`, `1h`, or `0` (only on start, reconnects and reactivations). */
const readCatchUpEvery = (raw: string | undefined) =>
	durationOrOff('GLOBOBOT_CATCH_UP_EVERY', raw, '5m', {min: 1000, max: 86_400_000}, 'from 1s to 1d such as 5m or 30s, or 0 to read only after a restart or reconnect');
// --- end GLOBOBOT_CATCH_UP ----------------------------------------------------

/**
 * A finished event is what makes a late redelivery, or catch-up reading the same message again, a duplicate
 * instead of a second answer: it is kept at least a day, and longer than catch-up reaches back (plus its overlap).
 */
function readRetention(raw: string | undefined, catchUpMs: number): number {
	const value = nonEmpty(raw) ?? '30d';
	const ms = durationMs(value) ?? Number.NaN;
	const floor = Math.max(86_400_000, catchUpMs + 120_000);
	if (!(ms >= floor && ms <= 10 * 366 * 86_400_000)) throw new ConfigError(`GLOBOBOT_RETENTION must be a duration such as 30d, at least 1d and longer than GLOBOBOT_CATCH_UP (got "${value.slice(0, 20)}")`);
	return ms;
}

/** The listener's full webhook target, e.g. https://bot.example.com/wtwebhook. */
export const webhookTargetUrl = (config: Pick<Config, 'publicUrl' | 'webhookPath'>) => config.publicUrl + config.webhookPath;

// Websocket delivery's settings, read in one place (issue 18).
const defaultCatalogUrl = 'https://u2c.wbx2.com/u2c/api/v1/catalog';

function websocketSettings(flags: ConfigFlags, env: Env): Pick<Config, 'events' | 'webexCatalogUrl' | 'deviceName' | 'deleteDevice' | 'httpsProxy' | 'noProxy'> {
	const events = nonEmpty(flags.events) ?? nonEmpty(env['GLOBOBOT_EVENTS']) ?? 'webhook';
	if (events !== 'webhook' && events !== 'websocket') throw new ConfigError('GLOBOBOT_EVENTS (--events) must be "webhook" or "websocket"');
	const catalog = httpUrl('WEBEX_CATALOG_URL').safeParse(nonEmpty(env['WEBEX_CATALOG_URL']) ?? defaultCatalogUrl);
	if (!catalog.success) throw new ConfigError('WEBEX_CATALOG_URL must be an absolute http(s) URL');
	const deviceName = nonEmpty(env['GLOBOBOT_DEVICE_NAME']) ?? 'globobot';
	if (deviceName.length > 128 || /[\u0000-\u001f]/.test(deviceName)) throw new ConfigError('GLOBOBOT_DEVICE_NAME must be at most 128 printable characters');
	const deleteRaw = nonEmpty(env['GLOBOBOT_DELETE_DEVICE'])?.toLowerCase();
	if (deleteRaw !== undefined && !['1', '0', 'true', 'false', 'yes', 'no'].includes(deleteRaw)) throw new ConfigError('GLOBOBOT_DELETE_DEVICE must be 1/true/yes or 0/false/no');
	// curl's convention: HTTPS_PROXY, or https_proxy.
	const proxy = nonEmpty(env['HTTPS_PROXY']) ?? nonEmpty(env['https_proxy']);
	// The message never repeats the value: a proxy URL can carry a password.
	if (proxy !== undefined && !httpUrl('HTTPS_PROXY').safeParse(proxy).success) throw new ConfigError('HTTPS_PROXY must be an absolute http(s) URL, e.g. http://proxy.example.com:3128');
	const noProxy = nonEmpty(env['NO_PROXY']) ?? nonEmpty(env['no_proxy']);
	return {
		events,
		webexCatalogUrl: catalog.data,
		deviceName,
		deleteDevice: deleteRaw === '1' || deleteRaw === 'true' || deleteRaw === 'yes',
		...(proxy !== undefined && {httpsProxy: proxy}),
		...(proxy !== undefined && noProxy !== undefined && {noProxy}),
	};
}

// --- What the public port exposes (issue 12: connection limits, metrics) ------

export interface ExposureSettings {
	/** GLOBOBOT_MAX_CONNECTIONS: open connections on the public port at most (default 512). */
	maxConnections: number;
	/** METRICS_ADDRESS: where /metrics answers; undefined: on the main port (the default only when HOST is loopback). */
	metricsAddress?: {host: string; port: number};
	/** METRICS_TOKEN: /metrics then wants `Authorization: Bearer <token>`. Never printed. */
	metricsToken?: string;
}

const loopback = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * /metrics says how busy the bot is and who it talks to: it stays off a public bind. With HOST on loopback it
 * shares the port; otherwise it moves to METRICS_ADDRESS, by default 127.0.0.1:9464 (Prometheus' exporter
 * range). `METRICS_ADDRESS=same` keeps it on the main port, which then wants METRICS_TOKEN.
 */
function exposureSettings(host: string, env: Env): ExposureSettings {
	const connections = Number(nonEmpty(env['GLOBOBOT_MAX_CONNECTIONS']) ?? 512);
	if (!Number.isInteger(connections) || connections < 16 || connections > 100_000) throw new ConfigError('GLOBOBOT_MAX_CONNECTIONS must be a whole number from 16 to 100000');
	const token = nonEmpty(env['METRICS_TOKEN']);
	if (token !== undefined && token.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
	const raw = nonEmpty(env['METRICS_ADDRESS']) ?? (loopback(host) ? 'same' : '127.0.0.1:9464');
	const settings: ExposureSettings = {maxConnections: connections, ...(token !== undefined && {metricsToken: token})};
	if (raw === 'same') {
		if (!loopback(host) && token === undefined) throw new ConfigError('METRICS_ADDRESS=same on a public HOST needs METRICS_TOKEN: /metrics must not be open to everyone');
		return settings;
	}
	const match = /^(?:\[([\da-f:]+)\]|([^:]+)):(\d{1,5})$/i.exec(raw);
	const metricsHost = match?.[1] ?? match?.[2];
	const metricsPort = Number(match?.[3]);
	if (!metricsHost || !(metricsPort >= 0 && metricsPort <= 65_535)) throw new ConfigError('METRICS_ADDRESS must be HOST:PORT (e.g. 127.0.0.1:9464) or "same"');
	return {...settings, metricsAddress: {host: metricsHost, port: metricsPort}};
}
