// What `access check` prints, on the Access screen: each account's decision
// and the rule that made it (the narrowest grant, or default deny).
import type {AccessCheckRow} from '../ports.js';
import {Box} from './Box.js';
import {Text} from './Text.js';

export interface CheckResultsProps {
	email: string;
	rows: readonly AccessCheckRow[];
	width: number;
}

function Cell({width, children, color, bold}: {width?: number; children: string; color?: string; bold?: boolean}) {
	return (
		<Box width={width} flexGrow={width ? 0 : 1} flexShrink={width ? 0 : 1} flexBasis={width ? undefined : 0} marginRight={1}>
			<Text wrap="truncate-end" color={color} bold={bold}>
				{children}
			</Text>
		</Box>
	);
}

export function CheckResults({email, rows, width}: CheckResultsProps) {
	const segments = rows.some(row => row.segment !== undefined) && width >= 70;
	const account = Math.min(16, Math.max(7, ...rows.map(row => row.accountId.length)));
	const allowed = rows.filter(row => row.allowed).length;
	return (
		<Box flexDirection="column" flexShrink={1} overflowY="hidden">
			<Box flexShrink={0}>
				<Text wrap="truncate-end">
					<Text bold>{email}</Text>
					<Text dimColor>{` may see ${allowed} of ${rows.length}`}</Text>
				</Text>
			</Box>
			<Box flexShrink={0}>
				<Cell width={account} bold>
					ACCOUNT
				</Cell>
				{segments ? (
					<Cell width={14} bold>
						SEGMENT
					</Cell>
				) : null}
				<Cell width={8} bold>
					DECISION
				</Cell>
				<Cell bold>RULE</Cell>
			</Box>
			{rows.map(row => (
				<Box key={row.accountId} flexShrink={0}>
					<Cell width={account}>{row.accountId}</Cell>
					{segments ? <Cell width={14}>{row.segment ?? '-'}</Cell> : null}
					<Cell width={8} color={row.allowed ? 'green' : 'red'}>
						{row.allowed ? 'allowed' : 'denied'}
					</Cell>
					<Cell>{row.rule}</Cell>
				</Box>
			))}
		</Box>
	);
}
