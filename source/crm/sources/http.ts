// An HTTP CRM: GET CRM_URL with {id} filled in, a bearer CRM_TOKEN, JSON back.
// Numbers are parsed by lossless-json, so `12345678901234.10` keeps its digits;
// CRM_FIELDS says where due, paid, currency and segment are. 404 is an unknown
// account; 5xx, 429, refusals and silence are the CRM being unavailable.
import http from 'node:http';
import https from 'node:https';
import {isLosslessNumber, parse} from 'lossless-json';
import fetch, {type Response} from 'node-fetch';
import {AccountSourceError} from '../lookup.js';
import {AmountError, normaliseCurrency, parseAmount} from '../money.js';
import type {Account} from '../types.js';
import {describeCrmUrl} from './describe.js';
import {resolvePointer, type CrmFields} from './fields.js';
import type {CrmSettings} from './settings.js';
import {amountReason, lookupEach, withDeadline, type AccountSource, type AccountSourceOptions} from './source.js';

// An answer for one account is small; a bigger one is a mistake, not a balance.
const maxBodyBytes = 1_048_576;

const probeId = '0';

export function classifyHttpError(error: unknown, description: string): AccountSourceError {
	if (error instanceof AccountSourceError) return error;
	const {name, code, type} = (error ?? {}) as {name?: unknown; code?: unknown; type?: unknown};
	// No cause is kept: node-fetch's errors name the full URL, and its query string may hold a key.
	if (name === 'AbortError' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return new AccountSourceError('timeout', `${description}: no answer in time`);
	if (type === 'max-size') return new AccountSourceError('invalid-data', `${description}: the answer is larger than ${maxBodyBytes} bytes`);
	return new AccountSourceError('unavailable', `${description}: ${typeof code === 'string' ? code : 'the request failed'}`);
}

function amountAt(document: unknown, pointer: string, name: string, id: string, currency: string, description: string): number {
	const value = resolvePointer(document, pointer);
	if (value === undefined || value === null) throw new AccountSourceError('invalid-data', `${description}: the answer for ${id} has no ${name} at ${pointer}`);
	const text = isLosslessNumber(value) ? value.value : value;
	try {
		if (typeof text !== 'string') throw new AmountError('not a number');
		return parseAmount(text, currency);
	} catch (error) {
		throw new AccountSourceError('invalid-data', `${description}: ${name} of ${id} at ${pointer} is ${amountReason(error)}`);
	}
}

function optionalText(document: unknown, pointer: string | undefined): string | undefined {
	if (pointer === undefined) return undefined;
	const value = resolvePointer(document, pointer);
	if (isLosslessNumber(value)) return value.value;
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** One JSON answer → an Account, through the CRM_FIELDS pointers. */
export function documentToAccount(id: string, document: unknown, fields: CrmFields, description: string): Account {
	const rawCurrency = optionalText(document, fields.currency);
	let currency = 'USD';
	if (rawCurrency !== undefined) {
		try {
			currency = normaliseCurrency(rawCurrency);
		} catch {
			throw new AccountSourceError('invalid-data', `${description}: currency of ${id} is not an ISO 4217 code`);
		}
	}
	const segment = optionalText(document, fields.segment);
	return {
		id,
		due: amountAt(document, fields.due, 'due', id, currency, description),
		paid: amountAt(document, fields.paid, 'paid', id, currency, description),
		currency,
		updatedAt: new Date().toISOString(),
		...(segment === undefined ? {} : {segment}),
	};
}

async function readAnswer(response: Response, id: string, fields: CrmFields, description: string): Promise<Account | undefined> {
	if (response.status === 404) {
		await response.arrayBuffer().catch(() => undefined);
		return undefined;
	}
	if (response.status !== 200) {
		await response.arrayBuffer().catch(() => undefined);
		const status = response.status;
		// A redirect is not followed: it could carry the bearer token to another host.
		if (status >= 500 || status === 429 || status === 401 || status === 403 || status === 408) {
			const why = status === 401 || status === 403 ? ' (check CRM_TOKEN)' : '';
			throw new AccountSourceError('unavailable', `${description}: answered ${status}${why}`);
		}
		throw new AccountSourceError('invalid-data', `${description}: answered ${status} for ${id}`);
	}
	let document: unknown;
	try {
		document = parse(await response.text());
	} catch (error) {
		if (error instanceof Error && (error.name === 'AbortError' || (error as {type?: unknown}).type === 'max-size')) throw error;
		throw new AccountSourceError('invalid-data', `${description}: the answer for ${id} is not JSON`);
	}
	return documentToAccount(id, document, fields, description);
}

export async function openHttpSource(settings: CrmSettings & {crmUrl: string}, options: AccountSourceOptions): Promise<AccountSource> {
	const description = describeCrmUrl(settings.crmUrl);
	const secure = settings.crmUrl.toLowerCase().startsWith('https:');
	const agent = secure ? new https.Agent({keepAlive: true, maxSockets: settings.crmPool}) : new http.Agent({keepAlive: true, maxSockets: settings.crmPool});
	const headers: Record<string, string> = {accept: 'application/json', 'user-agent': 'globobot'};
	if (settings.crmToken) headers['authorization'] = `Bearer ${settings.crmToken}`;
	const warnings = secure ? [] : [`CRM_URL uses http:// on a loopback host: answers${settings.crmToken ? ' and CRM_TOKEN' : ''} travel unencrypted`];

	const request = async (id: string): Promise<Account | undefined> => {
		const url = settings.crmUrl.replaceAll('{id}', encodeURIComponent(id));
		const response = await fetch(url, {headers, agent, redirect: 'manual', size: maxBodyBytes, signal: AbortSignal.timeout(settings.crmTimeoutMs)});
		return readAnswer(response, id, settings.crmFields, description);
	};
	const lookupOne = async (id: string) => {
		try {
			return await request(id);
		} catch (error) {
			throw classifyHttpError(error, description);
		}
	};
	return {
		description,
		warnings,
		async getMany(ids) {
			return lookupEach(ids, lookupOne, {description, timeoutMs: settings.crmTimeoutMs, onLookup: options.onLookup, classify: error => classifyHttpError(error, description)});
		},
		async ping() {
			// Any answer will do, even an odd one for the made-up id: only silence or a refusal means the CRM is not there.
			await withDeadline(lookupOne(probeId), settings.crmTimeoutMs, description).catch((error: unknown) => {
				if (error instanceof AccountSourceError && error.code === 'invalid-data') return undefined;
				throw error;
			});
		},
		async close() {
			agent.destroy();
		},
	};
}
