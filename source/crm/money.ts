// Money as integer minor units. Amounts arrive as decimal text (or JSON
// numbers) and are parsed digit by digit, so `0.1` is exactly 10 cents and no
// float ever takes part in arithmetic.
import type {Account} from './types.js';

/** An amount or currency that cannot be stored; the message says why, in a few words. */
export class AmountError extends Error {
	override name = 'AmountError';
}

const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));
const fractionDigitsCache = new Map<string, number>();

/** Upper-cases and checks an ISO 4217 code; throws AmountError for an unknown one. */
export function normaliseCurrency(currency: string): string {
	const code = currency.trim().toUpperCase();
	if (!/^[A-Z]{3}$/.test(code) || !knownCurrencies.has(code)) throw new AmountError(`unknown currency "${currency}"`);
	return code;
}

/** The number of decimals the currency uses: USD 2, JPY 0, BHD 3. */
export function currencyDigits(currency: string): number {
	let digits = fractionDigitsCache.get(currency);
	if (digits === undefined) {
		digits = new Intl.NumberFormat('en', {style: 'currency', currency}).resolvedOptions().maximumFractionDigits ?? 2;
		fractionDigitsCache.set(currency, digits);
	}
	return digits;
}

// A JSON number has already been through a double; more significant digits
// than a double keeps exactly means the file did not say what it meant.
const maxJsonNumberDigits = 15;

function jsonNumberText(value: number): string {
	if (!Number.isFinite(value)) throw new AmountError('not a number');
	if (value < 0) throw new AmountError('negative');
	const text = String(value);
	if (/e/i.test(text)) throw new AmountError(`${text} is out of range; write it as a plain decimal`);
	if (text.replace('.', '').replace(/^0+/, '').length > maxJsonNumberDigits) throw new AmountError(`${text} has too many digits for a JSON number; write it as a string`);
	return text;
}

/**
 * A non-negative decimal amount (`"12.34"`, `12.34`, `"100"`) → minor units of
 * the currency. Trailing zeros beyond the currency's decimals are accepted
 * (`"1.50"` JPY is not, `"1.230"` USD is); anything else inexact is refused.
 */
export function parseAmount(value: number | string, currency: string): number {
	const text = typeof value === 'number' ? jsonNumberText(value) : typeof value === 'string' ? value.trim() : undefined;
	if (text === undefined) throw new AmountError('not a number');
	if (/^-\s*\d/.test(text)) throw new AmountError('negative');
	const match = /^(\d+)(?:\.(\d*))?$/.exec(text) ?? /^()\.(\d+)$/.exec(text);
	if (!match) throw new AmountError(`"${text}" is not a decimal number`);
	const whole = match[1] ?? '';
	const fraction = (match[2] ?? '').replace(/0+$/, '');
	const digits = currencyDigits(currency);
	if (fraction.length > digits) {
		throw new AmountError(digits === 0 ? `${currency} has no decimals` : `more than ${digits} decimals for ${currency}`);
	}
	const minor = BigInt(whole || '0') * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
	if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new AmountError('too large');
	return Number(minor);
}

/** `4000, 'USD'` → `40.00 USD`; a credit keeps its sign: `-10.00 USD`; JPY has no decimals. */
export function formatMoney(minor: number, currency: string): string {
	return `${formatAmount(minor, currency)} ${currency}`;
}

/** The amount alone, as exact decimal text: `4000, 'USD'` → `40.00`. */
export function formatAmount(minor: number, currency: string): string {
	if (!Number.isSafeInteger(minor)) throw new RangeError(`${minor} is not a whole number of minor units`);
	const digits = currencyDigits(currency);
	const sign = minor < 0 ? '-' : '';
	const text = Math.abs(minor).toString().padStart(digits + 1, '0');
	if (digits === 0) return sign + text;
	return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Balance = due − paid, in minor units; negative is a credit. */
export function balanceOf(account: Pick<Account, 'due' | 'paid'>): number {
	return account.due - account.paid;
}
