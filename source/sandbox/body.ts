// Reads a request's JSON body the way Webex answers: 415 for another media
// type, 400 for a missing or malformed body.
import type {Context} from 'koa';
import {WebexHttpError, badRequest} from './errors.js';

const maxBodyBytes = 1024 * 1024;

export async function readJsonObject(ctx: Context): Promise<Record<string, unknown>> {
	const raw = await readRaw(ctx);
	if (raw.length === 0) throw badRequest('Required request body is missing');
	if (!ctx.is('application/json')) throw new WebexHttpError(415, 'Content type not supported; use application/json.');
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw.toString('utf8'));
	} catch {
		throw badRequest('JSON parse error: the request body is not valid JSON.');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('The request body must be a JSON object.');
	return parsed as Record<string, unknown>;
}

async function readRaw(ctx: Context): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of ctx.req) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if (size > maxBodyBytes) throw new WebexHttpError(413, 'Request entity too large.');
		chunks.push(buffer);
	}
	return Buffer.concat(chunks);
}

/** An optional string field; 400 when present with another type. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
	const value = body[field];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw badRequest(`${field} must be a string.`);
	return value;
}

/** A required, non-empty string field. */
export function requiredString(body: Record<string, unknown>, field: string): string {
	const value = optionalString(body, field);
	if (value === undefined || value.trim() === '') throw badRequest(`${field} cannot be null or empty.`);
	return value;
}
