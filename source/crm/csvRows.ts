// Just enough CSV for account exports: comma-separated, optional double quotes
// ("" inside quotes is a quote), one record per line, blank lines skipped.

export interface CsvRow {
	/** 1-based line in the file. */
	line: number;
	fields: string[];
}

export function csvRows(text: string): CsvRow[] {
	const rows: CsvRow[] = [];
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	for (const [index, content] of lines.entries()) {
		if (content.trim() === '') continue;
		rows.push({line: index + 1, fields: splitCsvLine(content, index + 1)});
	}
	return rows;
}

/** Thrown for a line that is not CSV at all (an unclosed quote). */
export class CsvSyntaxError extends Error {
	override name = 'CsvSyntaxError';
	constructor(
		message: string,
		readonly line: number,
	) {
		super(message);
	}
}

function splitCsvLine(content: string, line: number): string[] {
	const fields: string[] = [];
	let field = '';
	let quoted = false;
	for (let index = 0; index < content.length; index++) {
		const char = content[index];
		if (quoted) {
			if (char === '"' && content[index + 1] === '"') {
				field += '"';
				index++;
			} else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"' && field.trim() === '') {
			field = '';
			quoted = true;
		} else if (char === ',') {
			fields.push(field.trim());
			field = '';
		} else field += char;
	}
	if (quoted) throw new CsvSyntaxError('unclosed quote', line);
	fields.push(field.trim());
	return fields;
}
