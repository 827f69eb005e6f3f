// The audit trail's newest decisions, newest first: seq, time, who asked,
// what became of each account, the reply and where it went. Entries hold no
// figure, no message text and no token, so none can be drawn. Only the visible
// window is drawn, as many rows as the layout gave; the selected entry is
// spelled out in full under the table.
import {useEffect} from 'react';
import {clockTime} from '../format.js';
import {useMeasuredHeight} from '../hooks/useMeasuredHeight.js';
import type {AuditRow} from '../ports.js';
import {Box} from './Box.js';
import {Text} from './Text.js';

export interface AuditListProps {
	rows: readonly AuditRow[];
	selected: number;
	offset: number;
	/** Rows of entries drawn. */
	height: number;
	onRows?(rows: number): void;
	width: number;
	focused: boolean;
	/** The title line's right part: live, the filter, a failure. */
	status: string;
	statusTone?: 'dim' | 'error';
	/** What an empty list says. */
	placeholder: string;
}

const outcomeColors: Record<string, string> = {shown: 'green', unknown: 'yellow', denied: 'red', throttled: 'magenta', 'crm-unavailable': 'red'};

export const requesterOf = (row: AuditRow) => row.requesterEmail ?? `person:${row.requesterId}`;
export const accountsText = (row: AuditRow) => (row.accounts.length === 0 ? '—' : row.accounts.map(account => `${account.id} ${account.outcome}`).join(', '));

function Cell({width, children, color, bold, dim}: {width?: number; children: string; color?: string; bold?: boolean; dim?: boolean}) {
	return (
		<Box width={width} flexGrow={width ? 0 : 1} flexShrink={width ? 0 : 1} flexBasis={width ? undefined : 0} marginRight={1}>
			<Text wrap="truncate-end" color={color} bold={bold} dimColor={dim}>
				{children}
			</Text>
		</Box>
	);
}

interface Columns {
	seq: number;
	/** 0: no time column. */
	time: number;
	requester: number;
	reply: number;
}

// The border and padding take 4 columns.
function columnsFor(width: number, rows: readonly AuditRow[]): Columns {
	const inner = width - 4;
	const seq = Math.max(3, ...rows.map(row => String(row.seq).length));
	if (inner >= 90) return {seq, time: 8, requester: 28, reply: 18};
	if (inner >= 70) return {seq, time: 8, requester: 20, reply: 15};
	return {seq, time: 0, requester: 17, reply: 14};
}

function Accounts({row}: {row: AuditRow}) {
	if (row.accounts.length === 0) return <Text dimColor>—</Text>;
	return (
		<Text wrap="truncate-end">
			{row.accounts.map((account, index) => (
				<Text key={`${index}:${account.id}`}>
					{index > 0 ? ', ' : ''}
					{account.id} <Text color={outcomeColors[account.outcome]}>{account.outcome}</Text>
				</Text>
			))}
		</Text>
	);
}

function Row({row, selected, focused, columns}: {row: AuditRow; selected: boolean; focused: boolean; columns: Columns}) {
	return (
		<Box flexShrink={0}>
			<Cell width={1} color="cyan">
				{selected ? (focused ? '❯' : '›') : ' '}
			</Cell>
			<Cell width={columns.seq} dim>
				{String(row.seq)}
			</Cell>
			{columns.time ? <Cell width={columns.time}>{clockTime(row.at)}</Cell> : null}
			<Cell width={columns.requester} bold={selected}>
				{requesterOf(row)}
			</Cell>
			<Cell width={columns.reply}>{`${row.reply}→${row.deliveredTo}`}</Cell>
			<Box flexGrow={1} flexShrink={1} flexBasis={0}>
				<Accounts row={row} />
			</Box>
		</Box>
	);
}

/** The selected entry, every field of it: what the table had to cut. */
function Selected({row}: {row: AuditRow | undefined}) {
	if (!row) return null;
	return (
		<Box flexDirection="column" flexShrink={0}>
			<Text wrap="truncate-end" dimColor>
				{`#${row.seq} ${row.at} · ${row.reply} → ${row.deliveredTo} · ${row.replyIds.length === 0 ? 'not sent yet' : `${row.replyIds.length} message${row.replyIds.length === 1 ? '' : 's'} sent`} · via ${row.source} · ${requesterOf(row)}${row.requesterEmail ? ` (person:${row.requesterId})` : ''}`}
			</Text>
			<Text wrap="wrap">{accountsText(row)}</Text>
		</Box>
	);
}

export function AuditList({rows, selected, offset, height, onRows, width, focused, status, statusTone = 'dim', placeholder}: AuditListProps) {
	const wanted = Math.max(3, rows.length);
	const [rowsRef, measured] = useMeasuredHeight(wanted);
	useEffect(() => {
		onRows?.(measured);
	}, [measured, onRows]);
	const columns = columnsFor(width, rows);
	const visible = rows.slice(offset, offset + height);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1} flexShrink={1}>
			<Box flexShrink={0}>
				<Text wrap="truncate-end">
					<Text bold>Audit</Text>
					<Text color={statusTone === 'error' ? 'red' : undefined} dimColor={statusTone === 'dim'}>{` · ${status}`}</Text>
				</Text>
			</Box>
			<Box flexShrink={0}>
				<Cell width={1}> </Cell>
				<Cell width={columns.seq} bold>
					SEQ
				</Cell>
				{columns.time ? (
					<Cell width={columns.time} bold>
						TIME
					</Cell>
				) : null}
				<Cell width={columns.requester} bold>
					REQUESTER
				</Cell>
				<Cell width={columns.reply} bold>
					REPLY→TO
				</Cell>
				<Cell bold>ACCOUNTS</Cell>
			</Box>
			<Box ref={rowsRef} flexDirection="column" height={wanted} flexShrink={1} overflowY="hidden">
				{visible.length === 0 ? (
					<Text dimColor wrap="truncate-end">
						{placeholder}
					</Text>
				) : (
					visible.map((row, index) => <Row key={row.seq} row={row} selected={offset + index === selected} focused={focused} columns={columns} />)
				)}
			</Box>
			<Selected row={rows[selected]} />
		</Box>
	);
}
