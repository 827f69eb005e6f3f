// Flags + environment → one validated Config. This is the only module that
// reads process.env; everything else receives a Config.
import {readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {z} from 'zod';
import {ConfigError} from './configError.js';
import {parseDuration} from './timeSpec.js';

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
	/** GLOBOBOT_LIMIT_LOOKUPS: account ids one requester may ask for per window (default 30/10m). */
	limitLookups: RateLimit;
	/** GLOBOBOT_LIMIT_MISSES: unknown or denied ids one requester may ask for per window (default 10/1h). */
	limitMisses: RateLimit;
	/** GLOBOBOT_AUDIT_RETENTION (default 400d, beyond PCI DSS's year): audit entries older than this are pruned, in milliseconds. */
	auditRetentionMs: number;
}

/** At most `max` per sliding window of `windowMs`, from text like "30/10m". */
export interface RateLimit {
	max: number;
	windowMs: number;
}

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

const durationUnits: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** "30/10m" → 30 per 10 minutes; the window is a whole number of s, m, h or d (a bare unit means one). */
export function parseRateLimit(name: string, text: string): RateLimit {
	const match = /^(\d{1,9})\s*\/\s*(\d{0,6})\s*([smhd])$/.exec(text.trim());
	const max = Number(match?.[1]);
	const windowMs = Number(match?.[2] || 1) * (durationUnits[match?.[3] ?? ''] ?? Number.NaN);
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

	let auditRetentionMs: number;
	try {
		auditRetentionMs = parseDuration(nonEmpty(env['GLOBOBOT_AUDIT_RETENTION']) ?? '400d', 'GLOBOBOT_AUDIT_RETENTION');
	} catch (error) {
		throw new ConfigError((error as Error).message);
	}

	return {
		...parsed.data,
		auditRetentionMs,
		webexApiUrlExplicit: apiUrlRaw !== undefined,
		secretFile,
		tlsCert,
		tlsKey,
		allowUnsigned: flags.allowUnsigned === true || env['GLOBOBOT_ALLOW_UNSIGNED'] === '1',
		home,
		...rateLimits(env),
	};
}

/** The listener's full webhook target, e.g. https://bot.example.com/wtwebhook. */
export const webhookTargetUrl = (config: Pick<Config, 'publicUrl' | 'webhookPath'>) => config.publicUrl + config.webhookPath;

/** A config safe to print: tokens and secrets replaced by whether they are set. */
export function describeConfig(config: Config): Record<string, unknown> {
	const {webexToken, webhookSecrets, ...rest} = config;
	return {...rest, webexToken: webexToken ? '(set)' : '(not set)', webhookSecrets: `${webhookSecrets.length} configured`};
}
