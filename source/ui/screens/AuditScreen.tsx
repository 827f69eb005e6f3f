// Who saw what (L from the webhook list): the newest balance decisions of the
// audit trail, read live through useAudit on the audit port; / filters them by
// person (an email, or person:ID) and/or account. At the top of the list the
// cursor follows new entries; moved down, it stays on the entry it is on.
import {useEffect, useRef, useState} from 'react';
import {AuditList} from '../components/AuditList.js';
import {Box} from '../components/Box.js';
import {PromptForm} from '../components/PromptForm.js';
import {useAudit} from '../hooks/useAudit.js';
import {useAction} from '../hooks/useKeys.js';
import {useWindowedList} from '../hooks/useWindowedList.js';
import type {AuditQuery} from '../ports.js';
import type {Route} from '../route.js';
import {asciiVisible} from './AccessScreen.js';
import type {ScreenProps} from './screen.js';
import {moveCursor} from '../hooks/useWindowedList.js';

type AuditRoute = Extract<Route, {kind: 'audit'}>;

const everyMs = 1000;
const limit = 200;

const describeQuery = (query: AuditQuery) => [query.person === undefined ? '' : `person ${query.person}`, query.account === undefined ? '' : `account ${query.account}`].filter(Boolean).join(' and ');

export function AuditScreen({route, model, width}: ScreenProps<AuditRoute>) {
	const port = model.audit;
	const parsed = port?.parseQuery(route.query);
	const query = parsed?.ok ? parsed.value : undefined;
	const audit = useAudit(port, query, {everyMs, limit});
	const [listRows, setListRows] = useState(3);
	const list = useWindowedList(audit.rows.length, listRows);
	const anchor = useRef<{seq?: number; top: boolean}>({top: true});

	// New entries arrive at the top: a cursor moved down stays on its entry; at the top it follows the newest.
	useEffect(() => {
		const {seq, top} = anchor.current;
		if (top || seq === undefined) return;
		const index = audit.rows.findIndex(row => row.seq === seq);
		if (index !== -1 && index !== list.selected) list.moveTo(index);
	}, [audit.rows]);
	useEffect(() => {
		anchor.current = {seq: audit.rows[list.selected]?.seq, top: list.selected === 0};
	});

	useAction(
		'audit',
		action => {
			if (moveCursor(list, action)) return;
			switch (action) {
				case 'quit': return void model.quit();
				case 'help': return model.go({kind: 'help', back: route, scope: 'audit'});
				case 'back': return model.go({kind: 'list'});
				case 'filter': return port ? model.go({...route, filtering: true}) : undefined;
				default: return undefined;
			}
		},
		!route.filtering,
	);

	const filter = query ? describeQuery(query) : '';
	const status = !port
		? 'no database'
		: audit.error
			? `the trail could not be read: ${audit.error} (retrying)`
			: `${audit.loading ? 'reading…' : `live, every ${everyMs / 1000}s`} · ${audit.rows.length === limit ? `the newest ${limit}` : `${audit.rows.length} decision${audit.rows.length === 1 ? '' : 's'}`}${filter ? ` · ${filter}` : ''}`;
	const placeholder = !port
		? 'No audit trail: the TUI was started without a database.'
		: audit.loading
			? 'Reading the audit trail…'
			: filter
				? `No decision of ${filter} yet. / changes the filter.`
				: 'No decisions recorded yet: each question answered (or refused) appears here.';

	return (
		<Box flexDirection="column" flexGrow={1} flexShrink={1} overflowY="hidden">
			<AuditList
				rows={audit.rows}
				selected={list.selected}
				offset={list.offset}
				height={Math.max(1, list.height)}
				onRows={setListRows}
				width={width}
				focused={!route.filtering}
				status={status}
				statusTone={!port || audit.error ? 'error' : 'dim'}
				placeholder={placeholder}
			/>
			{route.filtering && port ? (
				<Box flexDirection="column" flexShrink={0}>
					<PromptForm
						title="Filter: a person, an account, or both (empty: everything)"
						scope="audit-filter"
						fields={[{key: 'query', label: 'Who/what', placeholder: 'kate@globomantics.com ACCT100'}]}
						initial={{query: route.query}}
						check={values => {
							const result = port.parseQuery(values.query);
							return result.ok ? {} : {query: asciiVisible(result.error)};
						}}
						onSubmit={values => model.go({kind: 'audit', query: values.query.trim(), filtering: false})}
						onCancel={() => model.go({...route, filtering: false})}
					/>
				</Box>
			) : null}
		</Box>
	);
}
