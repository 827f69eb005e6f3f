// The JSON policy file `access import` reads (and the TUI may offer):
//   {"grants": [{"subject": "@globomantics.com", "scopes": ["segment:branch-042"]}, …]}
// Checked whole before anything changes; each problem is one line naming where it is.
import {z} from 'zod';
import {GrantSyntaxError, parseScope, parseSubject, type Grant} from './grant.js';

const schema = z.strictObject({
	grants: z.array(z.strictObject({subject: z.string(), scopes: z.array(z.string()).min(1, 'needs at least one scope')})),
});

const expected = '(expected {"grants": [{"subject": …, "scopes": […]}]})';

/** The file's grants, canonical and without repeats; throws GrantSyntaxError ("NAME: grants[1].scopes[0]: …") on the first problem. */
export function parsePolicy(text: string, name: string): Grant[] {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new GrantSyntaxError(`${name}: not JSON (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
	}
	const parsed = schema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue?.path.length ? issue.path.map(part => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '') : 'the file';
		throw new GrantSyntaxError(`${name}: ${where}: ${issue?.message ?? 'invalid'} ${expected}`);
	}
	const at = <T>(where: string, parse: () => T): T => {
		try {
			return parse();
		} catch (error) {
			if (error instanceof GrantSyntaxError) throw new GrantSyntaxError(`${name}: ${where}: ${error.message}`);
			throw error;
		}
	};
	const grants = new Map<string, Grant>();
	parsed.data.grants.forEach((entry, index) => {
		const subject = at(`grants[${index}]`, () => parseSubject(entry.subject));
		entry.scopes.forEach((raw, scopeIndex) => {
			const scope = at(`grants[${index}].scopes[${scopeIndex}]`, () => parseScope(raw));
			grants.set(`${subject}\n${scope}`, {subject, scope});
		});
	});
	return [...grants.values()];
}
