// What --help adds below each command's options: the environment variables
// it reads (flags override them) and examples that work as written. Kept
// here, as data, so cli.tsx stays a list of commands.

interface Help {
	environment: string[];
	examples: string[];
}

const webex = ['WEBEX_TOKEN', 'WEBEX_API_URL', 'GLOBOBOT_MAX_RETRY_AFTER'];
const listener = ['PORT', 'HOST', 'PUBLIC_URL', 'WEBHOOK_PATH', 'WEBHOOK_SECRET', 'DATABASE_URL', 'GLOBOBOT_ALLOW', 'GLOBOBOT_GROUP_REPLY', 'GLOBOBOT_ACCOUNT_PATTERN', 'GLOBOBOT_CONCURRENCY', 'GLOBOBOT_WEBHOOK_CHECK', 'GLOBOBOT_HOME'];

const help: Record<string, Help> = {
	'globobot-admin': {
		environment: [...webex, ...listener, 'DEBUG', 'NO_COLOR'],
		examples: ['globobot-admin                          # the terminal UI (the offline demo without WEBEX_TOKEN)', 'globobot-admin help webhooks', 'globobot-admin --api-url http://127.0.0.1:8900/v1 webhooks list'],
	},
	serve: {
		environment: [...webex, ...listener, 'TLS_CERT', 'TLS_KEY', 'LOG_LEVEL', 'GLOBOBOT_ALLOW_UNSIGNED'],
		examples: ['WEBEX_TOKEN=… GLOBOBOT_ALLOW=@globomantics.com PUBLIC_URL=https://bot.example.com globobot-admin serve', 'globobot-admin serve --port 8080 --host 127.0.0.1 --log-level debug'],
	},
	sandbox: {environment: [], examples: ['globobot-admin sandbox', 'globobot-admin sandbox --port 0 --json', 'globobot-admin sandbox --state sandbox.json   # the same tokens after a restart']},
	'webhooks list': {environment: [...webex, 'PUBLIC_URL', 'WEBHOOK_PATH'], examples: ['globobot-admin webhooks list', 'globobot-admin webhooks list --json']},
	'webhooks create': {
		environment: [...webex, 'PUBLIC_URL', 'WEBHOOK_PATH', 'WEBHOOK_SECRET', 'GLOBOBOT_HOME'],
		examples: ['globobot-admin webhooks create', 'globobot-admin webhooks create --url https://bot.example.com/wtwebhook --secret-file secret.txt', 'printf %s "$SECRET" | globobot-admin webhooks create --secret-stdin'],
	},
	'webhooks update': {environment: webex, examples: ['globobot-admin webhooks update ID --url https://bot.example.com/wtwebhook', 'globobot-admin webhooks update ID --secret-file secret.txt']},
	'webhooks reactivate': {environment: webex, examples: ['globobot-admin webhooks reactivate ID']},
	'webhooks delete': {environment: webex, examples: ['globobot-admin webhooks delete ID1 ID2 --yes', 'globobot-admin webhooks delete ID --json --yes']},
	'accounts import': {environment: ['DATABASE_URL', 'GLOBOBOT_HOME'], examples: ['globobot-admin accounts import accounts.json', 'globobot-admin accounts import accounts.csv --database postgres://globobot@127.0.0.1/crm']},
	'accounts list': {environment: ['DATABASE_URL', 'GLOBOBOT_HOME'], examples: ['globobot-admin accounts list', 'globobot-admin accounts list --json']},
	'accounts get': {environment: ['DATABASE_URL', 'GLOBOBOT_HOME'], examples: ['globobot-admin accounts get acct100', 'globobot-admin accounts get ACCT100 --json']},
	doctor: {
		environment: [...webex, 'PUBLIC_URL', 'WEBHOOK_PATH', 'WEBHOOK_SECRET', 'DATABASE_URL', 'GLOBOBOT_ALLOW', 'GLOBOBOT_HOME'],
		examples: ['globobot-admin doctor', 'globobot-admin doctor --json'],
	},
	// The operator's console (issue 16).
	'events list': {environment: ['DATABASE_URL', 'GLOBOBOT_HOME'], examples: ['globobot-admin events list --state failed --since 24h', 'globobot-admin events list --state pending,sending --json']},
	'events show': {environment: ['DATABASE_URL', 'GLOBOBOT_HOME'], examples: ['globobot-admin events show ID', 'globobot-admin events show ID --json']},
	'events retry': {environment: ['DATABASE_URL', 'GLOBOBOT_HOME'], examples: ['globobot-admin events retry ID', 'globobot-admin events list --state failed --json | jq -r ".[].id" | xargs globobot-admin events retry']},
	'events tail': {environment: ['DATABASE_URL', 'GLOBOBOT_HOME'], examples: ['globobot-admin events tail', 'globobot-admin events tail --state failed --json']},
	'webhooks ensure': {environment: [...webex, 'PUBLIC_URL', 'WEBHOOK_PATH', 'WEBHOOK_SECRET', 'GLOBOBOT_HOME'], examples: ['globobot-admin webhooks ensure', 'globobot-admin webhooks ensure --json --secret-file secret.txt']},
	'webhooks test': {environment: [...webex, 'PUBLIC_URL', 'WEBHOOK_PATH', 'WEBHOOK_SECRET', 'DATABASE_URL', 'GLOBOBOT_HOME'], examples: ['globobot-admin webhooks test', 'globobot-admin webhooks test --message ID   # a real question, e.g. from `sandbox say`']},
	'sandbox say': {environment: [], examples: ["globobot-admin sandbox say --state sandbox.json --as alice@globomantics.com 'acct100'", "globobot-admin sandbox say --state sandbox.json --as bob@globomantics.com --room 'Globomantics Ops' '@globobot what is the balance for acct100?'"]},
};

/** The text --help prints after the options of `command` (e.g. "webhooks list"). */
export function helpAfter(command: string): string {
	const entry = help[command];
	if (!entry) return '';
	const lines = [''];
	if (entry.environment.length > 0) lines.push('Environment (flags override):', ...wrap(entry.environment, 78).map(line => `  ${line}`), '');
	lines.push('Examples:', ...entry.examples.map(example => `  ${example}`));
	return lines.join('\n');
}

/** Names joined by commas, in lines of at most `width` characters (an 80-column terminal). */
function wrap(names: readonly string[], width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const [index, name] of names.entries()) {
		const word = index < names.length - 1 ? `${name},` : name;
		if (line && line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else line = line ? `${line} ${word}` : word;
	}
	if (line) lines.push(line);
	return lines;
}

/** The closest known name to a mistyped one (at most two edits, or a prefix), for "Did you mean …?". */
export function closest(typed: string, names: readonly string[]): string | undefined {
	let best: {name: string; distance: number} | undefined;
	for (const name of names) {
		const distance = name.startsWith(typed) && typed.length >= 2 ? 1 : editDistance(typed, name);
		if (distance <= 2 && (!best || distance < best.distance)) best = {name, distance};
	}
	return best?.name;
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (const [i, charA] of [...a].entries()) {
		const current = [i + 1];
		for (const [j, charB] of [...b].entries()) current.push(Math.min(previous[j + 1]! + 1, current[j]! + 1, previous[j]! + (charA === charB ? 0 : 1)));
		previous = current;
	}
	return previous[b.length]!;
}
