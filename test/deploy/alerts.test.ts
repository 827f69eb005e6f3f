// deploy/alerts.yml: promtool's checks and unit tests (deploy/alerts.test.yml) where promtool is installed
// (Debian: apt-get install prometheus), and the rules' shape and metric names everywhere.
import {execFile, execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {promisify} from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const rules = readFileSync('deploy/alerts.yml', 'utf8');

const promtool = (() => {
	try {
		execFileSync('sh', ['-c', 'command -v promtool'], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
})();

test('promtool check rules accepts every rule', async t => {
	if (!promtool) return t.pass('promtool is not installed here (Debian package prometheus): skipped');
	const {stdout} = await run('promtool', ['check', 'rules', 'deploy/alerts.yml']);
	t.regex(stdout, /SUCCESS: 6 rules found/);
});

test('promtool test rules: each alert fires on the series it is about, and only then', async t => {
	if (!promtool) return t.pass('promtool is not installed here (Debian package prometheus): skipped');
	const {stdout} = await run('promtool', ['test', 'rules', 'deploy/alerts.test.yml']);
	t.regex(stdout, /SUCCESS/);
});

test('an alert for each finding, on the metric names globobot exports', t => {
	const alerts = [...rules.matchAll(/^\s+- alert: (\w+)\n\s+(?:#[^\n]*\n\s+)*expr: ([^\n]+(?:\n {10,}[^\n]+)*)/gm)].map(match => [match[1], match[2]] as const);
	t.deepEqual(
		alerts.map(([name]) => name),
		['GloboBotDown', 'GloboBotWebhookInactive', 'GloboBotInboxBacklogGrowing', 'GloboBotFailedEvents', 'GloboBotRateLimited', 'GloboBotCrmErrors'],
	);
	const expressions = Object.fromEntries(alerts);
	t.regex(expressions['GloboBotWebhookInactive']!, /globobot_webhooks\{status="inactive"\}/);
	t.regex(expressions['GloboBotInboxBacklogGrowing']!, /globobot_inbox_depth/);
	t.regex(expressions['GloboBotFailedEvents']!, /globobot_deliveries_total\{outcome="failed"\}/);
	t.regex(expressions['GloboBotRateLimited']!, /globobot_webex_api_errors_total\{status="429"\}/);
	t.regex(expressions['GloboBotCrmErrors']!, /globobot_crm_lookup_errors_total/);
});

test('the metrics the rules read that exist today are the ones server/metrics.ts registers', t => {
	const registered = readFileSync('server/metrics.ts', 'utf8');
	for (const name of ['globobot_inbox_depth', 'globobot_deliveries_total', 'globobot_webex_api_errors_total', 'globobot_webex_request_duration_seconds']) {
		t.true(registered.includes(`'${name}'`), name);
	}
});
