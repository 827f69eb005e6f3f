// `globobot-admin accounts import|list|get`: the CRM accounts globobot answers
// from. Amounts print as exact decimal text; errors are one line.
import {loadConfig} from '../config.js';
import {normaliseAccountId} from '../crm/accountId.js';
import {DatabaseUrlError, openDatabase} from '../crm/database.js';
import {ImportError, importAccounts} from '../crm/import.js';
import {balanceOf, formatAmount, formatMoney} from '../crm/money.js';
import type {Account, Database} from '../crm/types.js';
import {runOnCrm} from './crmAccounts.js';
import {processOutput, safeText, type Output} from './output.js';
import {CommandError} from './run.js';

// A type alias (not an interface) so it fits cli.tsx's Record<string, unknown>.
export type AccountsOptions = {
	action: 'import' | 'list' | 'get';
	file?: string;
	id?: string;
	database?: string;
	json?: boolean;
};

/** An account as `--json` prints it: money as exact decimal strings. */
export interface AccountJson {
	id: string;
	due: string;
	paid: string;
	balance: string;
	currency: string;
	updatedAt: string;
}

export const accountJson = (account: Account): AccountJson => ({
	id: account.id,
	due: formatAmount(account.due, account.currency),
	paid: formatAmount(account.paid, account.currency),
	balance: formatAmount(balanceOf(account), account.currency),
	currency: account.currency,
	updatedAt: account.updatedAt,
});

function accountTable(accounts: readonly Account[]): string[] {
	const header = ['ID', 'DUE', 'PAID', 'BALANCE'];
	const rows = accounts.map(account => [
		account.id,
		formatAmount(account.due, account.currency),
		formatAmount(account.paid, account.currency),
		formatMoney(balanceOf(account), account.currency),
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	// Ids left-aligned, amounts right-aligned so the decimal points line up.
	const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
	return [line(header), ...rows.map(line)];
}

const printTable = (output: Output, accounts: readonly Account[]) => {
	for (const line of accountTable(accounts)) output.out(line);
};

async function importFile(database: Database, file: string, json: boolean, output: Output): Promise<void> {
	try {
		const result = await importAccounts(database.accounts, file);
		if (json) output.json({file, ...result});
		else output.out(`imported ${safeText(file)}: ${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged`);
	} catch (error) {
		// The message quotes the file (an id, a field), so it is made safe where it is printed (run.ts).
		if (error instanceof ImportError) throw new CommandError(error.message, 1);
		throw error;
	}
}

async function listAccounts(database: Database, json: boolean, output: Output): Promise<void> {
	const accounts = await database.accounts.list();
	if (json) output.json(accounts.map(accountJson));
	else if (accounts.length === 0) output.out('no accounts (import some with: globobot-admin accounts import FILE)');
	else printTable(output, accounts);
}

async function showAccount(database: Database, id: string, json: boolean, output: Output): Promise<void> {
	const account = await database.accounts.get(id);
	if (!account) throw new CommandError(`no account ${normaliseAccountId(id)}`, 1);
	if (json) output.json(accountJson(account));
	else printTable(output, [account]);
}

export async function run(options: AccountsOptions, output: Output = processOutput()): Promise<number> {
	const config = loadConfig({database: options.database});
	const json = options.json === true;
	if (config.crmUrl !== undefined) return runOnCrm({...config, crmUrl: config.crmUrl}, options, account => (json ? output.json(accountJson(account)) : printTable(output, [account])));
	let database: Database;
	try {
		// Only import writes: list and get create nothing, and say so when there is no database yet.
		database = await openDatabase(config.databaseUrl, {create: options.action === 'import'});
	} catch (error) {
		if (error instanceof DatabaseUrlError) throw error;
		throw new CommandError(error instanceof Error ? error.message : String(error), 1);
	}
	try {
		switch (options.action) {
			case 'import': {
				if (!options.file) throw new CommandError('accounts import needs a FILE', 2);
				await importFile(database, options.file, json, output);
				break;
			}
			case 'list': {
				await listAccounts(database, json, output);
				break;
			}
			case 'get': {
				if (!options.id) throw new CommandError('accounts get needs an ID', 2);
				await showAccount(database, options.id, json, output);
				break;
			}
			default: {
				throw new CommandError(`unknown accounts action "${String(options.action)}"`, 2);
			}
		}
	} finally {
		await database.close();
	}
	return 0;
}
