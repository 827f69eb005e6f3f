// `globobot-admin accounts import|list|get`: the CRM accounts globobot answers
// from. Amounts print as exact decimal text; errors are one line.
import {loadConfig} from '../config.js';
import {normaliseAccountId} from '../crm/account-id.js';
import {openDatabase} from '../crm/database.js';
import {ImportError, importAccounts} from '../crm/import.js';
import {balanceOf, formatAmount, formatMoney} from '../crm/money.js';
import type {Account, Database} from '../crm/types.js';
import {runOnCrm} from './crmAccounts.js';
import {CommandError} from './run.js';

// A type alias (not an interface) so it fits cli.tsx's Record<string, unknown>.
export type AccountsOptions = {
	action: 'import' | 'list' | 'get';
	file?: string;
	id?: string;
	database?: string;
	json?: boolean;
};

/** Where the command writes; tests pass their own. */
export interface Output {
	write(text: string): unknown;
}

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

function accountTable(accounts: readonly Account[]): string {
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
	return [line(header), ...rows.map(line)].join('\n') + '\n';
}

const writeJson = (output: Output, value: unknown) => output.write(`${JSON.stringify(value, null, 2)}\n`);

async function importFile(database: Database, file: string, json: boolean, output: Output): Promise<void> {
	try {
		const result = await importAccounts(database.accounts, file);
		if (json) writeJson(output, {file, ...result});
		else output.write(`imported ${file}: ${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged\n`);
	} catch (error) {
		if (error instanceof ImportError) throw new CommandError(error.message, 1);
		throw error;
	}
}

async function listAccounts(database: Database, json: boolean, output: Output): Promise<void> {
	const accounts = await database.accounts.list();
	if (json) writeJson(output, accounts.map(accountJson));
	else if (accounts.length === 0) output.write('no accounts (import some with: globobot-admin accounts import FILE)\n');
	else output.write(accountTable(accounts));
}

async function showAccount(database: Database, id: string, json: boolean, output: Output): Promise<void> {
	const account = await database.accounts.get(id);
	if (!account) throw new CommandError(`no account ${normaliseAccountId(id)}`, 1);
	if (json) writeJson(output, accountJson(account));
	else output.write(accountTable([account]));
}

export async function run(options: AccountsOptions, output: Output = process.stdout): Promise<number> {
	const config = loadConfig({database: options.database});
	const json = options.json === true;
	if (config.crmUrl !== undefined) return runOnCrm({...config, crmUrl: config.crmUrl}, options, account => (json ? writeJson(output, accountJson(account)) : output.write(accountTable([account]))));
	let database: Database;
	try {
		database = await openDatabase(config.databaseUrl);
	} catch (error) {
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
