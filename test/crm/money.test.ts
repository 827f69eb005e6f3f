import test from 'ava';
import fc from 'fast-check';
import {AmountError, balanceOf, formatAmount, formatMoney, parseAmount} from '../../source/crm/money.js';

test('decimal strings and JSON numbers become exact minor units', t => {
	t.is(parseAmount('100', 'USD'), 10_000);
	t.is(parseAmount(60, 'USD'), 6000);
	t.is(parseAmount('12.34', 'USD'), 1234);
	t.is(parseAmount(' 0.5 ', 'USD'), 50);
	t.is(parseAmount('.5', 'USD'), 50);
	t.is(parseAmount('1.230', 'USD'), 123);
	t.is(parseAmount('1000', 'JPY'), 1000);
	t.is(parseAmount('1.234', 'BHD'), 1234);
});

test('0.1 + 0.2 stays exact: the parts add to 30 cents', t => {
	t.is(parseAmount(0.1, 'USD') + parseAmount(0.2, 'USD'), 30);
	t.is(parseAmount('0.1', 'USD') + parseAmount('0.2', 'USD'), 30);
	t.is(formatMoney(parseAmount(0.3, 'USD') - parseAmount(0.1, 'USD') - parseAmount(0.2, 'USD'), 'USD'), '0.00 USD');
});

test('refuses negative, non-numeric and over-precise amounts', t => {
	t.throws(() => parseAmount('-1', 'USD'), {instanceOf: AmountError, message: 'negative'});
	t.throws(() => parseAmount(-0.01, 'USD'), {instanceOf: AmountError, message: 'negative'});
	t.throws(() => parseAmount('ten', 'USD'), {instanceOf: AmountError, message: /not a decimal number/});
	t.throws(() => parseAmount('1,000', 'USD'), {instanceOf: AmountError});
	t.throws(() => parseAmount('1e3', 'USD'), {instanceOf: AmountError});
	t.throws(() => parseAmount(Number.NaN, 'USD'), {instanceOf: AmountError});
	t.throws(() => parseAmount('1.234', 'USD'), {instanceOf: AmountError, message: 'more than 2 decimals for USD'});
	t.throws(() => parseAmount('1.5', 'JPY'), {instanceOf: AmountError, message: 'JPY has no decimals'});
	t.throws(() => parseAmount('99999999999999999', 'USD'), {instanceOf: AmountError, message: 'too large'});
	t.throws(() => parseAmount(1e21, 'USD'), {instanceOf: AmountError});
});

test('formats with the original wording and the currency’s own decimals', t => {
	t.is(formatMoney(4000, 'USD'), '40.00 USD');
	t.is(formatMoney(-1000, 'USD'), '-10.00 USD');
	t.is(formatMoney(0, 'USD'), '0.00 USD');
	t.is(formatMoney(5, 'USD'), '0.05 USD');
	t.is(formatMoney(-5, 'USD'), '-0.05 USD');
	t.is(formatMoney(1500, 'JPY'), '1500 JPY');
	t.is(formatMoney(1234, 'BHD'), '1.234 BHD');
	t.is(formatMoney(Number.MAX_SAFE_INTEGER, 'USD'), '90071992547409.91 USD');
});

test('balance is due minus paid; a credit is negative', t => {
	t.is(balanceOf({due: 10_000, paid: 6000}), 4000);
	t.is(balanceOf({due: 6000, paid: 7000}), -1000);
});

test('formatting then parsing gives back the same minor units', t => {
	fc.assert(
		fc.property(fc.integer({min: 0, max: Number.MAX_SAFE_INTEGER}), fc.constantFrom('USD', 'JPY', 'BHD', 'EUR'), (minor, currency) => {
			t.is(parseAmount(formatAmount(minor, currency), currency), minor);
		}),
	);
});
