// The grants, as the Access screen shows them, and the calls that change them,
// through the access port (never the database). Each call says what is in
// flight (for a spinner) and how it failed (shown in place); none throws.
import {useCallback, useEffect, useRef, useState} from 'react';
import type {AccessCheckRow, AccessGrant, AccessPort} from '../ports.js';

export type Result<T> = {ok: true; value: T} | {ok: false; error: string};

export interface AccessState {
	grants: AccessGrant[];
	/** True until the first listing (or its failure). */
	loading: boolean;
	/** What is in flight, e.g. "Revoking kate@globomantics.com ACCT100". */
	pending?: string;
	/** Why the last listing failed (the database unreachable…). */
	error?: string;
	refresh(): Promise<void>;
	/** True when the grant was new. */
	grant(subject: string, scope: string): Promise<Result<boolean>>;
	/** True when there was such a grant. */
	revoke(grant: Pick<AccessGrant, 'subject' | 'scope'>): Promise<Result<boolean>>;
	check(email: string, accountIds: readonly string[]): Promise<Result<AccessCheckRow[]>>;
}

const message = (error: unknown) => (error instanceof Error ? error.message || error.name : String(error));

export function useAccess(port: AccessPort | undefined): AccessState {
	const [grants, setGrants] = useState<AccessGrant[]>([]);
	const [loading, setLoading] = useState(true);
	const [pending, setPending] = useState<string>();
	const [error, setError] = useState<string>();
	const mounted = useRef(true);
	useEffect(() => {
		mounted.current = true;
		return () => {
			mounted.current = false;
		};
	}, []);

	const track = useCallback(async <T>(label: string, call: () => Promise<T>): Promise<Result<T>> => {
		setPending(label);
		try {
			return {ok: true, value: await call()};
		} catch (caught) {
			return {ok: false, error: message(caught)};
		} finally {
			if (mounted.current) setPending(current => (current === label ? undefined : current));
		}
	}, []);

	const refresh = useCallback(async () => {
		if (!port) return;
		const result = await track('Loading grants', async () => port.list());
		if (!mounted.current) return;
		if (result.ok) {
			setGrants(result.value);
			setError(undefined);
		} else setError(result.error);
		setLoading(false);
	}, [port, track]);

	useEffect(() => {
		void refresh();
	}, [refresh]);

	const grant = useCallback(
		async (subject: string, scope: string) => {
			if (!port) return {ok: false as const, error: 'no database'};
			const result = await track(`Granting ${subject} ${scope}`, async () => port.grant(subject, scope));
			if (result.ok) await refresh();
			return result;
		},
		[port, track, refresh],
	);

	const revoke = useCallback(
		async (target: Pick<AccessGrant, 'subject' | 'scope'>) => {
			if (!port) return {ok: false as const, error: 'no database'};
			const result = await track(`Revoking ${target.subject} ${target.scope}`, async () => port.revoke(target.subject, target.scope));
			if (result.ok) await refresh();
			return result;
		},
		[port, track, refresh],
	);

	const check = useCallback(
		async (email: string, accountIds: readonly string[]) => {
			if (!port) return {ok: false as const, error: 'no database'};
			return track(`Checking ${email}`, async () => port.check(email, accountIds));
		},
		[port, track],
	);

	return {grants, loading: port ? loading : false, pending, error, refresh, grant, revoke, check};
}
