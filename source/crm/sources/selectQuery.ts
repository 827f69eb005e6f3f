// The start-up check on CRM_QUERY: one SELECT (or a WITH … SELECT) that reads,
// taking the account id through exactly one placeholder of the driver's style.
// Literals, quoted names and comments are blanked first, so a `;` or a word
// inside a string is not mistaken for SQL. The read-only session is the real
// guard; this refuses the obvious mistakes before the first question.

export type PlaceholderStyle = 'dollar' | 'question';

/** Blanks string literals, quoted identifiers and comments, keeping positions; throws on an unterminated one. */
export function blankLiterals(sql: string): string {
	let out = '';
	let index = 0;
	while (index < sql.length) {
		const rest = sql.slice(index);
		const dollarTag = /^\$(?:[A-Za-z_][A-Za-z_\d]*)?\$/.exec(rest)?.[0];
		let end: number;
		if (rest.startsWith('--') || rest.startsWith('#')) {
			end = sql.indexOf('\n', index);
			if (end === -1) end = sql.length;
		} else if (rest.startsWith('/*')) {
			end = sql.indexOf('*/', index + 2);
			if (end === -1) throw new Error('an unterminated /* comment');
			end += 2;
		} else if (dollarTag) {
			end = sql.indexOf(dollarTag, index + dollarTag.length);
			if (end === -1) throw new Error(`an unterminated ${dollarTag} string`);
			end += dollarTag.length;
		} else if (rest[0] === "'" || rest[0] === '"' || rest[0] === '`') {
			end = closingQuote(sql, index);
		} else {
			out += sql[index];
			index++;
			continue;
		}
		out += ' '.repeat(end - index);
		index = end;
	}
	return out;
}

function closingQuote(sql: string, start: number): number {
	const quote = sql[start]!;
	let index = start + 1;
	while (index < sql.length) {
		const character = sql[index]!;
		// MySQL escapes with a backslash inside '…' and "…"; a doubled quote works everywhere.
		if (character === '\\' && quote !== '`') index += 2;
		else if (character === quote && sql[index + 1] === quote) index += 2;
		else if (character === quote) return index + 1;
		else index++;
	}
	throw new Error(`an unterminated ${quote} quote`);
}

const writingWords = ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'DROP', 'ALTER', 'CREATE', 'TRUNCATE', 'GRANT', 'REVOKE', 'COPY', 'CALL', 'EXEC', 'EXECUTE', 'ATTACH', 'DETACH', 'PRAGMA', 'VACUUM', 'LOCK', 'HANDLER', 'LOAD', 'SET'];

/** Why CRM_QUERY cannot be used, or undefined when it can. */
export function selectQueryProblem(sql: string, style: PlaceholderStyle): string | undefined {
	let code: string;
	try {
		code = blankLiterals(sql);
	} catch (error) {
		return `CRM_QUERY has ${(error as Error).message}`;
	}
	const statement = code.trim().replace(/;\s*$/, '');
	if (statement.includes(';')) return 'CRM_QUERY must be a single statement (no ";" between statements)';
	const words: string[] = statement.toUpperCase().match(/[A-Z_][A-Z_\d]*/g) ?? [];
	if (words[0] !== 'SELECT' && words[0] !== 'WITH') return 'CRM_QUERY must be a SELECT';
	if (!words.includes('SELECT')) return 'CRM_QUERY must be a SELECT';
	if (/\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE|KEY\s+SHARE)\b/i.test(statement) || /\bLOCK\s+IN\s+SHARE\s+MODE\b/i.test(statement)) {
		return 'CRM_QUERY must not lock rows (FOR UPDATE / FOR SHARE)';
	}
	const writing = words.find((word, index) => writingWords.includes(word) && !(word === 'SET' && words[index - 1] === 'CHARACTER'));
	if (writing) return `CRM_QUERY must only read (it contains ${writing})`;
	if (words.includes('INTO')) return 'CRM_QUERY must only read (SELECT … INTO writes)';
	return placeholderProblem(statement, style);
}

function placeholderProblem(statement: string, style: PlaceholderStyle): string | undefined {
	if (style === 'dollar') {
		const numbers = [...statement.matchAll(/\$(\d+)/g)].map(match => match[1]);
		// A ? is left alone: in PostgreSQL it is also a jsonb operator.
		if (numbers.length === 0) return 'CRM_QUERY must take the account id as $1 (PostgreSQL does not use ?)';
		if (numbers.some(number => number !== '1')) return 'CRM_QUERY takes one parameter, $1 (the account id)';
		return undefined;
	}
	const marks = (statement.match(/\?/g) ?? []).length;
	if (/\$\d/.test(statement)) return 'CRM_QUERY for MySQL, MariaDB or SQLite uses ?, not $1';
	if (marks !== 1) return `CRM_QUERY must take the account id as exactly one ? (it has ${marks})`;
	return undefined;
}
