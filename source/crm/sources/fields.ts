// CRM_FIELDS: where an HTTP CRM's JSON answer keeps each figure, as RFC 6901
// JSON pointers: `due=/amounts/due,paid=/amounts/paid,currency=/currency`.

export type FieldName = 'due' | 'paid' | 'currency' | 'segment';

export interface CrmFields {
	due: string;
	paid: string;
	currency?: string;
	segment?: string;
}

export const defaultCrmFields: CrmFields = {due: '/due', paid: '/paid', currency: '/currency', segment: '/segment'};

const fieldNames: readonly FieldName[] = ['due', 'paid', 'currency', 'segment'];

/** A bad CRM_FIELDS; the message is one line and names the setting. */
export class FieldsError extends Error {
	override name = 'FieldsError';
}

/** `/a/b~1c` → ['a', 'b/c']; '' is the whole document. Throws FieldsError for a pointer RFC 6901 does not allow. */
export function parsePointer(pointer: string): string[] {
	if (pointer === '') return [];
	if (!pointer.startsWith('/')) throw new FieldsError(`CRM_FIELDS pointer "${pointer}" must start with /`);
	if (/~(?![01])/.test(pointer)) throw new FieldsError(`CRM_FIELDS pointer "${pointer}" has a ~ not followed by 0 or 1`);
	return pointer
		.slice(1)
		.split('/')
		.map(token => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `due=/amounts/due,paid=/amounts/paid` → {due: '/amounts/due', paid: '/amounts/paid'}; due and paid are required. */
export function parseCrmFields(text: string): CrmFields {
	const fields: Partial<Record<FieldName, string>> = {};
	for (const part of text.split(',').map(entry => entry.trim()).filter(Boolean)) {
		const equals = part.indexOf('=');
		const name = (equals === -1 ? part : part.slice(0, equals)).trim();
		if (equals === -1) throw new FieldsError(`CRM_FIELDS entry "${part}" must be name=/json/pointer`);
		if (!fieldNames.includes(name as FieldName)) throw new FieldsError(`CRM_FIELDS names "${name}"; use due, paid, currency or segment`);
		if (fields[name as FieldName] !== undefined) throw new FieldsError(`CRM_FIELDS names ${name} twice`);
		const pointer = part.slice(equals + 1).trim();
		parsePointer(pointer);
		fields[name as FieldName] = pointer;
	}
	if (fields.due === undefined || fields.paid === undefined) throw new FieldsError('CRM_FIELDS must map both due and paid');
	return {due: fields.due, paid: fields.paid, currency: fields.currency, segment: fields.segment};
}

/** The value at a pointer, or undefined when the document has nothing there. */
export function resolvePointer(document: unknown, pointer: string): unknown {
	let value = document;
	for (const token of parsePointer(pointer)) {
		if (Array.isArray(value)) {
			if (!/^(?:0|[1-9]\d*)$/.test(token)) return undefined;
			value = value[Number(token)];
		} else if (value !== null && typeof value === 'object' && Object.hasOwn(value, token)) {
			value = (value as Record<string, unknown>)[token];
		} else {
			return undefined;
		}
	}
	return value;
}
