// Account files: the original demo's JSON ({"ACCT100": {"paid": 60, "due": 100}})
// and CSV (id,due,paid[,currency]). Everything is validated before anything is
// written, and the first problem is reported with file, line and field.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {accountIdProblem, normaliseAccountId} from './accountId.js';
import {CsvSyntaxError, csvRows} from './csvRows.js';
import {lineAtOffset, topLevelKeyLines} from './jsonKeyLines.js';
import {AmountError, normaliseCurrency, parseAmount} from './money.js';
import {safeText} from '../terminal/safeText.js';
import type {AccountInput, AccountStore, UpsertResult} from './types.js';

/** A file that cannot be imported; the message is one line naming the file, line and field. */
export class ImportError extends Error {
	override name = 'ImportError';
	constructor(
		message: string,
		readonly file: string,
		readonly line?: number,
		readonly field?: string,
	) {
		super(message);
	}
}

const defaultCurrency = 'USD';

/** One account's raw fields, with where they came from. */
interface RawAccount {
	id: string;
	line: number;
	due: unknown;
	paid: unknown;
	currency: unknown;
}

class Validator {
	private readonly seen = new Map<string, number>();

	constructor(private readonly file: string) {}

	/** `accounts.json line 7 (ACCT200, paid): negative` */
	fail(reason: string, line?: number, field?: string, id?: string): never {
		const subject = [id, field].filter(Boolean).join(', ');
		const where = `${this.file}${line === undefined ? '' : ` line ${line}`}${subject ? ` (${subject})` : ''}`;
		// The message quotes the file (ids, fields, values): every control character in it is shown as an escape, never obeyed.
		throw new ImportError(safeText(`${where}: ${reason}`), this.file, line, field);
	}

	account(raw: RawAccount): AccountInput {
		const id = normaliseAccountId(raw.id);
		const idProblem = accountIdProblem(id);
		if (idProblem) this.fail(`account id ${idProblem}`, raw.line, 'id', raw.id);
		const firstLine = this.seen.get(id);
		if (firstLine !== undefined) this.fail(`duplicate account (first on line ${firstLine})`, raw.line, 'id', id);
		this.seen.set(id, raw.line);
		const currency = this.currency(raw);
		return {id, due: this.amount(raw, 'due', currency), paid: this.amount(raw, 'paid', currency), currency};
	}

	private currency(raw: RawAccount): string {
		if (raw.currency === undefined || raw.currency === null || raw.currency === '') return defaultCurrency;
		if (typeof raw.currency !== 'string') this.fail('currency must be a code like USD', raw.line, 'currency', raw.id);
		try {
			return normaliseCurrency(raw.currency);
		} catch (error) {
			return this.fail((error as Error).message, raw.line, 'currency', raw.id);
		}
	}

	private amount(raw: RawAccount, field: 'due' | 'paid', currency: string): number {
		const value = raw[field];
		if (value === undefined || value === null || value === '') this.fail('missing', raw.line, field, raw.id);
		if (typeof value !== 'number' && typeof value !== 'string') this.fail('must be a number', raw.line, field, raw.id);
		try {
			return parseAmount(value, currency);
		} catch (error) {
			if (error instanceof AmountError) this.fail(error.message, raw.line, field, raw.id);
			throw error;
		}
	}
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const jsonFields = new Set(['due', 'paid', 'currency']);

function parseJsonAccounts(text: string, validator: Validator): AccountInput[] {
	let document: unknown;
	try {
		document = JSON.parse(text);
	} catch (error) {
		const message = (error as Error).message;
		const position = /at position (\d+)/.exec(message)?.[1];
		validator.fail(`not valid JSON (${message})`, position === undefined ? undefined : lineAtOffset(text, Number(position)));
	}
	if (!isPlainObject(document)) validator.fail('expected an object of accounts, like {"ACCT100": {"due": 100, "paid": 60}}', 1);
	const keyLines = topLevelKeyLines(text);
	const accounts: AccountInput[] = [];
	// Walk the keys as written (not Object.entries): a key repeated in the file
	// is a duplicate even though JSON.parse kept only the last.
	for (const {key, line} of keyLines) {
		const value = document[key];
		if (!isPlainObject(value)) validator.fail('expected an object with due and paid', line, undefined, key);
		const unknown = Object.keys(value).find(field => !jsonFields.has(field));
		if (unknown !== undefined) validator.fail('unknown field (expected due, paid, currency)', line, unknown, key);
		accounts.push(validator.account({id: key, line, due: value['due'], paid: value['paid'], currency: value['currency']}));
	}
	return accounts;
}

const csvColumns = ['id', 'due', 'paid', 'currency'] as const;
type CsvColumn = (typeof csvColumns)[number];

function parseCsvAccounts(text: string, validator: Validator): AccountInput[] {
	let rows;
	try {
		rows = csvRows(text);
	} catch (error) {
		if (error instanceof CsvSyntaxError) validator.fail(error.message, error.line);
		throw error;
	}
	const [header, ...records] = rows;
	if (!header) validator.fail('empty file: expected a header line id,due,paid[,currency]');
	const names = header.fields.map(name => name.toLowerCase());
	const columns = new Map<CsvColumn, number>();
	for (const [index, name] of names.entries()) {
		if (!(csvColumns as readonly string[]).includes(name)) validator.fail(`unknown column "${name}" (expected id,due,paid[,currency])`, header.line, name);
		if (columns.has(name as CsvColumn)) validator.fail(`column "${name}" appears twice`, header.line, name);
		columns.set(name as CsvColumn, index);
	}
	for (const required of ['id', 'due', 'paid'] as const) {
		if (!columns.has(required)) validator.fail(`the header needs id,due,paid[,currency]; "${required}" is missing`, header.line, required);
	}
	return records.map(({line, fields}) => {
		if (fields.length !== names.length) validator.fail(`expected ${names.length} fields, found ${fields.length}`, line);
		const field = (column: CsvColumn) => {
			const index = columns.get(column);
			return index === undefined ? undefined : fields[index];
		};
		return validator.account({id: field('id') ?? '', line, due: field('due'), paid: field('paid'), currency: field('currency')});
	});
}

function looksLikeJson(file: string, text: string): boolean {
	const extension = path.extname(file).toLowerCase();
	if (extension === '.json') return true;
	if (extension === '.csv') return false;
	return text.trimStart().startsWith('{');
}

/** Reads and validates an account file; throws ImportError on the first problem, before anything is stored. */
export async function parseAccountsFile(file: string): Promise<AccountInput[]> {
	const validator = new Validator(file);
	let text: string;
	try {
		// Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse rejects and CSV's header would keep.
		text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return validator.fail(code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`);
	}
	return looksLikeJson(file, text) ? parseJsonAccounts(text, validator) : parseCsvAccounts(text, validator);
}

/** Parses the whole file, then upserts it in one transaction: all of it or none of it. */
export async function importAccounts(store: AccountStore, file: string): Promise<UpsertResult> {
	return store.upsertMany(await parseAccountsFile(file));
}
