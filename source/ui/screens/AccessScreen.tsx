// Who may see which accounts (A from the webhook list): the grants, stored
// and GLOBOBOT_ALLOW's; n adds one (subject and scope checked by the parser
// of `access grant`), d revokes the selected one after y, c checks what an
// email may see of some accounts and names the rule. The grants come through
// useAccess, on the access port; nothing here touches the database.
import {useEffect, useState} from 'react';
import {Box} from '../components/Box.js';
import {Busy} from '../components/Busy.js';
import {CheckResults} from '../components/CheckResults.js';
import {GrantList} from '../components/GrantList.js';
import {PromptForm} from '../components/PromptForm.js';
import {RevokeDialog} from '../components/RevokeDialog.js';
import {Text} from '../components/Text.js';
import {useAccess} from '../hooks/useAccess.js';
import {useAction} from '../hooks/useKeys.js';
import {useWindowedList} from '../hooks/useWindowedList.js';
import type {Scope} from '../keymap.js';
import type {AccessCheckRow, AccessPort} from '../ports.js';
import type {Route} from '../route.js';
import type {ScreenProps} from './screen.js';
import {moveCursor} from '../hooks/useWindowedList.js';

type AccessRoute = Extract<Route, {kind: 'access'}>;

/** The keymap scope of each view of the screen: its footer and its help. */
export const accessScope = (route: Route): Scope => {
	if (route.kind !== 'access') return 'access';
	return route.view === 'add' ? 'access-add' : route.view === 'check' ? 'access-check' : route.view === 'revoke' ? 'confirm' : 'access';
};

interface Said {
	tone: 'ok' | 'warning' | 'error';
	text: string;
}

const noDatabase = 'No database is open for grants (the TUI was started without one).';

function Line({said}: {said: Said}) {
	const mark = said.tone === 'ok' ? '✔' : said.tone === 'warning' ? '⚠' : '✘';
	return (
		<Box flexShrink={0}>
			<Text color={said.tone === 'ok' ? 'green' : said.tone === 'warning' ? 'yellow' : 'red'} wrap="truncate-end">{`${mark} ${said.text}`}</Text>
		</Box>
	);
}

/**
 * Every character outside printable ASCII as a \u escape. Ink's wrapping normalises text (NFC), which turns a
 * Kelvin sign into a K: an error quoting "\u212Aate@…" would read as a plain "Kate@…". Addresses and scopes
 * are plain ASCII, so whatever else they hold is what the operator must see.
 */
export const asciiVisible = (text: string) => text.replace(/[^\x20-\x7E]/gu, character => `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`);

const problem = (parsed: {ok: true} | {ok: false; error: string}) => (parsed.ok ? undefined : asciiVisible(parsed.error));

const grantChecks = (port: AccessPort | undefined) => (values: Record<'subject' | 'scope', string>) => {
	if (!port) return {subject: noDatabase};
	return {subject: problem(port.parseSubject(values.subject)), scope: problem(port.parseScope(values.scope))};
};

const checkChecks = (port: AccessPort | undefined) => (values: Record<'email' | 'accounts', string>) => {
	if (!port) return {email: noDatabase};
	return {email: problem(port.parseEmail(values.email)), accounts: problem(port.parseAccounts(values.accounts))};
};

export function AccessScreen({route, model, width}: ScreenProps<AccessRoute>) {
	const port = model.access;
	const access = useAccess(port);
	const [rows, setRows] = useState(3);
	const list = useWindowedList(access.grants.length, rows);
	const [said, setSaid] = useState<Said>();
	const [checked, setChecked] = useState<{email: string; rows: AccessCheckRow[]}>();
	const [checkFailed, setCheckFailed] = useState<string>();
	const [selectKey, setSelectKey] = useState<string>();
	const current = access.grants[list.selected];
	const view = (next: AccessRoute['view'], grant?: {subject: string; scope: string}) => model.go({kind: 'access', view: next, ...(grant && {grant})});

	// After an add, the cursor goes to the new grant once the list has it.
	useEffect(() => {
		if (!selectKey) return;
		const index = access.grants.findIndex(grant => grant.source === 'stored' && `${grant.subject} ${grant.scope}` === selectKey);
		if (index !== -1) {
			list.moveTo(index);
			setSelectKey(undefined);
		}
	}, [selectKey, access.grants, list.moveTo]);

	useAction(
		'access',
		action => {
			setSaid(undefined);
			if (moveCursor(list, action)) return;
			switch (action) {
				case 'quit': return void model.quit();
				case 'help': return model.go({kind: 'help', back: route, scope: 'access'});
				case 'back': return model.go({kind: 'list'});
				case 'refresh': return void access.refresh();
				case 'new': return port ? view('add') : setSaid({tone: 'error', text: noDatabase});
				case 'check': {
					if (!port) return setSaid({tone: 'error', text: noDatabase});
					setCheckFailed(undefined);
					return view('check');
				}
				case 'delete': {
					if (!current) return;
					if (current.source === 'GLOBOBOT_ALLOW') {
						return setSaid({tone: 'warning', text: `${current.subject} ${current.scope} comes from GLOBOBOT_ALLOW and cannot be revoked here: remove it from GLOBOBOT_ALLOW and restart.`});
					}
					return view('revoke', {subject: current.subject, scope: current.scope});
				}
				default: return undefined;
			}
		},
		route.view === 'grants',
	);

	const submitGrant = async ({subject, scope}: Record<'subject' | 'scope', string>) => {
		if (!port) return;
		const parsedSubject = port.parseSubject(subject);
		const parsedScope = port.parseScope(scope);
		if (!parsedSubject.ok || !parsedScope.ok) return;
		const result = await access.grant(parsedSubject.value, parsedScope.value);
		if (!result.ok) return setSaid({tone: 'error', text: `not granted: ${result.error}`});
		const text = `${parsedSubject.value} ${parsedScope.value}`;
		setSaid(result.value ? {tone: 'ok', text: `granted ${text}`} : {tone: 'warning', text: `${parsedSubject.value} already has ${parsedScope.value}`});
		setSelectKey(text);
		view('grants');
	};

	const submitCheck = async ({email, accounts}: Record<'email' | 'accounts', string>) => {
		if (!port) return;
		const parsedEmail = port.parseEmail(email);
		const parsedAccounts = port.parseAccounts(accounts);
		if (!parsedEmail.ok || !parsedAccounts.ok) return;
		setCheckFailed(undefined);
		const result = await access.check(parsedEmail.value, parsedAccounts.value);
		if (result.ok) setChecked({email: parsedEmail.value, rows: result.value});
		else setCheckFailed(result.error);
	};

	const confirmRevoke = async (grant: {subject: string; scope: string}) => {
		view('grants');
		const result = await access.revoke(grant);
		const text = `${grant.subject} ${grant.scope}`;
		if (!result.ok) setSaid({tone: 'error', text: `not revoked: ${result.error}`});
		else setSaid(result.value ? {tone: 'ok', text: `revoked ${text}`} : {tone: 'warning', text: `${text} was already gone`});
	};

	if (route.view === 'add') {
		return (
			<Box flexDirection="column" flexGrow={1} flexShrink={1} overflowY="hidden">
				<PromptForm
					title="Add a grant"
					scope="access-add"
					fields={[
						{key: 'subject', label: 'Subject', placeholder: 'kate@globomantics.com, @domain or *'},
						{key: 'scope', label: 'Scope', placeholder: 'all, ACCT100, ACCT1* or segment:NAME'},
					]}
					check={grantChecks(port)}
					busy={access.pending}
					onSubmit={values => void submitGrant(values)}
					onCancel={() => view('grants')}
				>
					{said && !access.pending ? <Line said={said} /> : null}
				</PromptForm>
			</Box>
		);
	}

	if (route.view === 'check') {
		return (
			<Box flexDirection="column" flexGrow={1} flexShrink={1} overflowY="hidden">
				<PromptForm
					title="Check: what may this email see?"
					scope="access-check"
					fields={[
						{key: 'email', label: 'Email', placeholder: 'kate@globomantics.com'},
						{key: 'accounts', label: 'Accounts', placeholder: 'ACCT100 ACCT200'},
					]}
					initial={checked ? {email: checked.email} : undefined}
					check={checkChecks(port)}
					busy={access.pending}
					onSubmit={values => void submitCheck(values)}
					onCancel={() => view('grants')}
				>
					{checkFailed && !access.pending ? <Line said={{tone: 'error', text: `check failed: ${checkFailed}`}} /> : null}
					{checked && !access.pending ? <CheckResults email={checked.email} rows={checked.rows} width={width} /> : null}
				</PromptForm>
			</Box>
		);
	}

	const placeholder = !port ? noDatabase : access.error ? `The grants could not be read: ${access.error} (r retries)` : access.loading ? 'Loading grants…' : 'No grants: nobody may see any account. Press n to add one.';
	return (
		<Box flexDirection="column" flexGrow={1} flexShrink={1} overflowY="hidden">
			<GrantList
				grants={access.grants}
				selected={list.selected}
				offset={list.offset}
				height={Math.max(1, list.height)}
				onRows={setRows}
				width={width}
				focused={route.view === 'grants'}
				placeholder={placeholder}
				placeholderTone={!port || access.error ? 'error' : 'dim'}
			/>
			{access.error && access.grants.length > 0 ? <Line said={{tone: 'error', text: `The grants could not be read: ${access.error} (r retries)`}} /> : null}
			{route.view === 'grants' && access.pending ? <Busy label={access.pending} /> : null}
			{said && !access.pending ? <Line said={said} /> : null}
			{route.view === 'revoke' && route.grant ? (
				<RevokeDialog grant={route.grant} onConfirm={() => void confirmRevoke(route.grant!)} onCancel={() => view('grants')} />
			) : null}
		</Box>
	);
}
