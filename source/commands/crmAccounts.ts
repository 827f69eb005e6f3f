// `accounts get|list|import` when CRM_URL names a live CRM: get reads the CRM
// itself; list and import refuse, since globobot holds no copy to list or to
// import into. Kept apart from accounts.ts, which serves the embedded store.
import type {Config} from '../config.js';
import {ConfigError} from '../configError.js';
import {normaliseAccountId} from '../crm/accountId.js';
import {AccountSourceError} from '../crm/lookup.js';
import {describeCrmUrl} from '../crm/sources/describe.js';
import {openAccountSource, type AccountSource} from '../crm/sources/index.js';
import type {Account} from '../crm/types.js';
import {safeText} from '../terminal/safeText.js';
import {CommandError} from './run.js';

/** Opens the configured CRM for a command: a bad query stays a ConfigError (exit 2), an unreachable CRM is exit 1. */
export async function openCrmForCommand(config: Config, warn: (line: string) => void = line => process.stderr.write(`globobot-admin: warning: ${line}\n`)): Promise<AccountSource> {
	let source: AccountSource | undefined;
	try {
		source = await openAccountSource(config);
	} catch (error) {
		// Driver messages come from the CRM's server: escaped before they reach a terminal.
		if (error instanceof ConfigError) throw new ConfigError(safeText(error.message));
		if (error instanceof AccountSourceError) throw new CommandError(`cannot reach the CRM: ${safeText(error.message)}`, 1);
		throw error;
	}
	if (!source) throw new CommandError('CRM_URL is not set', 2);
	for (const warning of source.warnings) warn(safeText(warning));
	return source;
}

export async function runOnCrm(config: Config & {crmUrl: string}, options: {action: string; id?: string}, show: (account: Account) => unknown): Promise<number> {
	const where = safeText(describeCrmUrl(config.crmUrl));
	if (options.action === 'import') {
		throw new CommandError(`accounts import fills globobot's own store, but balances come from the CRM (${where}); change them in the CRM`, 2);
	}
	if (options.action === 'list') throw new CommandError(`the CRM (${where}) cannot be listed from globobot; use accounts get ID`, 1);
	if (options.action !== 'get') throw new CommandError(`unknown accounts action "${options.action}"`, 2);
	if (!options.id) throw new CommandError('accounts get needs an ID', 2);
	const id = normaliseAccountId(options.id);
	const source = await openCrmForCommand(config);
	try {
		let account: Account | undefined;
		try {
			account = (await source.getMany([id])).get(id);
		} catch (error) {
			if (error instanceof AccountSourceError) throw new CommandError(`the CRM could not answer (${error.code}): ${safeText(error.message)}`, 1);
			throw error;
		}
		if (!account) throw new CommandError(`no account ${id} in the CRM (${where})`, 1);
		show(account);
	} finally {
		await source.close();
	}
	return 0;
}
