// The newest decisions of the audit trail, live: read through the audit port
// every `everyMs` (one read at a time; a slow database is never asked twice at
// once), redrawn only when something changed. A failed read is said and the
// next tick tries again.
import {useEffect, useRef, useState} from 'react';
import type {AuditPort, AuditQuery, AuditRow} from '../ports.js';

export interface AuditState {
	/** Newest first. */
	rows: AuditRow[];
	/** True until the first read (or its failure). */
	loading: boolean;
	/** Why the last read failed; cleared by the next one that works. */
	error?: string;
}

export interface UseAuditOptions {
	everyMs?: number;
	limit?: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message || error.name : String(error));

export function useAudit(port: AuditPort | undefined, query: AuditQuery | undefined, {everyMs = 1000, limit = 200}: UseAuditOptions = {}): AuditState {
	const [state, setState] = useState<AuditState>({rows: [], loading: Boolean(port)});
	const last = useRef('');
	const person = query?.person;
	const account = query?.account;

	useEffect(() => {
		if (!port || !query) return;
		let live = true;
		let timer: NodeJS.Timeout | undefined;
		last.current = '';
		setState(current => ({...current, loading: true}));
		const read = async () => {
			try {
				const rows = await port.recent({...(person !== undefined && {person}), ...(account !== undefined && {account}), limit});
				if (!live) return;
				const text = JSON.stringify(rows);
				if (text !== last.current) {
					last.current = text;
					setState({rows, loading: false});
				} else setState(current => (current.error || current.loading ? {...current, error: undefined, loading: false} : current));
			} catch (error) {
				if (live) setState(current => ({...current, loading: false, error: message(error)}));
			} finally {
				if (live) timer = setTimeout(() => void read(), everyMs);
			}
		};
		void read();
		return () => {
			live = false;
			if (timer) clearTimeout(timer);
		};
		// The query is compared by its parts: a new object for the same filter does not restart the reads.
	}, [port, person, account, query === undefined, everyMs, limit]);

	return port ? state : {rows: [], loading: false};
}
