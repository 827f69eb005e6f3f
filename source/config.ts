// Flags + environment → one validated Config. This is the only module that
// reads process.env; everything else receives a Config.
import {readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {z} from 'zod';
import {ConfigError} from './configError.js';

export type GroupReply = 'dm' | 'room';

export interface Config {
	/** Bot access token; undefined means "no Webex configured" (the demo falls back to the sandbox). */
	webexToken?: string;
	webexApiUrl: string;
	/** True when WEBEX_API_URL was set explicitly (so the demo does not override it). */
	webexApiUrlExplicit: boolean;
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
	tlsCert?: string;
	tlsKey?: string;
	allowUnsigned: boolean;
	logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
	/** Folder for globobot's own files (default database, generated secret). */
	home: string;
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

const schema = z.object({
	webexToken: z.string().optional(),
	webexApiUrl: httpUrl('WEBEX_API_URL'),
	port: port('PORT'),
	host: z.string().min(1),
	publicUrl: httpUrl('PUBLIC_URL'),
	webhookPath: z.string().regex(/^\/[\w\-./]*$/, 'WEBHOOK_PATH must start with / and contain only URL path characters'),
	webhookSecrets: z.array(z.string().min(8, 'each WEBHOOK_SECRET must be at least 8 characters')),
	databaseUrl: z.string().min(1),
	allow: z.array(allowEntry),
	groupReply: z.enum(['dm', 'room'], {error: 'GLOBOBOT_GROUP_REPLY must be "dm" or "room"'}),
	accountPattern: z.string().refine(source => {
		try {
			new RegExp(source, 'i');
			return !new RegExp(source, 'i').test('');
		} catch {
			return false;
		}
	}, 'GLOBOBOT_ACCOUNT_PATTERN must be a valid regular expression that matches something'),
	concurrency: z.coerce.number({error: 'GLOBOBOT_CONCURRENCY must be a number'}).int().min(1, 'GLOBOBOT_CONCURRENCY must be at least 1').max(256, 'GLOBOBOT_CONCURRENCY must be at most 256'),
	logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'}),
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

function readSecretFile(file: string): string[] {
	try {
		return splitList(readFileSync(file, 'utf8'));
	} catch {
		return [];
	}
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
		concurrency: flags.concurrency ?? nonEmpty(env['GLOBOBOT_CONCURRENCY']) ?? 64,
		logLevel: nonEmpty(flags.logLevel) ?? nonEmpty(env['LOG_LEVEL']) ?? 'info',
	});
	if (!parsed.success) {
		// Only the first problem, on one line; zod's messages above never echo a token or secret.
		const issue = parsed.error.issues[0];
		throw new ConfigError(issue?.message ?? 'invalid configuration');
	}

	const tlsCert = readableFile('--tls-cert', nonEmpty(flags.tlsCert) ?? nonEmpty(env['TLS_CERT']));
	const tlsKey = readableFile('--tls-key', nonEmpty(flags.tlsKey) ?? nonEmpty(env['TLS_KEY']));
	if (Boolean(tlsCert) !== Boolean(tlsKey)) throw new ConfigError('--tls-cert and --tls-key must be given together');

	return {
		...parsed.data,
		webexApiUrlExplicit: apiUrlRaw !== undefined,
		secretFile,
		tlsCert,
		tlsKey,
		allowUnsigned: flags.allowUnsigned === true || env['GLOBOBOT_ALLOW_UNSIGNED'] === '1',
		home,
		...websocketSettings(flags, env),
	};
}

/** The listener's full webhook target, e.g. https://bot.example.com/wtwebhook. */
export const webhookTargetUrl = (config: Pick<Config, 'publicUrl' | 'webhookPath'>) => config.publicUrl + config.webhookPath;

/** A config safe to print: tokens and secrets replaced by whether they are set. */
export function describeConfig(config: Config): Record<string, unknown> {
	const {webexToken, webhookSecrets, httpsProxy, ...rest} = config;
	return {...rest, webexToken: webexToken ? '(set)' : '(not set)', webhookSecrets: `${webhookSecrets.length} configured`, httpsProxy: httpsProxy ? '(set)' : '(not set)'};
}

// Websocket delivery's settings, read in one place (issue 18).
const defaultCatalogUrl = 'https://u2c.wbx2.com/u2c/api/v1/catalog';

function websocketSettings(flags: ConfigFlags, env: Env): Pick<Config, 'events' | 'webexCatalogUrl' | 'deviceName' | 'deleteDevice' | 'httpsProxy'> {
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
	return {
		events,
		webexCatalogUrl: catalog.data,
		deviceName,
		deleteDevice: deleteRaw === '1' || deleteRaw === 'true' || deleteRaw === 'yes',
		...(proxy !== undefined && {httpsProxy: proxy}),
	};
}
