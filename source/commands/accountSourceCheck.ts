// doctor's "account source" check for a live CRM: it connects (which also
// runs CRM_QUERY once to check its columns), asks once more, and says how long
// each took. The description never holds a password.
import type {Config} from '../config.js';
import {ConfigError} from '../configError.js';
import {AccountSourceError} from '../crm/lookup.js';
import {describeCrmUrl} from '../crm/sources/describe.js';
import {openAccountSource} from '../crm/sources/index.js';
import {safeText} from '../terminal/safeText.js';
import type {Check} from './doctor.js';

const name = 'account source';

const since = (started: bigint) => Math.round(Number(process.hrtime.bigint() - started) / 1e6);

/** No check when CRM_URL is unset: the database check covers the embedded store. */
export async function accountSourceChecks(config: Config): Promise<Check[]> {
	if (config.crmUrl === undefined) return [];
	const where = safeText(describeCrmUrl(config.crmUrl));
	const opening = process.hrtime.bigint();
	try {
		const source = await openAccountSource(config);
		if (!source) return [];
		try {
			const connected = since(opening);
			const asking = process.hrtime.bigint();
			await source.ping();
			const warnings = source.warnings.length > 0 ? ` (${safeText(source.warnings.join('; '))})` : '';
			return [{name, ok: true, detail: `${where}: connected in ${connected} ms, a query in ${since(asking)} ms${warnings}`}];
		} finally {
			await source.close();
		}
	} catch (error) {
		if (error instanceof ConfigError) return [{name, ok: false, detail: safeText(error.message), fix: 'correct CRM_QUERY so it returns due and paid for one account id'}];
		if (error instanceof AccountSourceError) return [{name, ok: false, detail: `${error.code}: ${safeText(error.message)}`, fix: 'check CRM_URL, the network, and that the CRM is up'}];
		return [{name, ok: false, detail: `${where}: ${safeText(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error))}`, fix: 'check CRM_URL'}];
	}
}
