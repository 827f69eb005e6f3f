// The webhook table. Only the visible window of rows is rendered, so a list
// of thousands costs what a screenful costs. Its columns follow the
// terminal's width (narrower, abbreviated, or left out), so that no row and
// no heading ever wraps.
import {useEffect} from 'react';
import {useMeasuredHeight} from '../hooks/useMeasuredHeight.js';
import type {Webhook} from '../model.js';
import {resourceEvent, secretState, shortenFilter} from '../format.js';
import {Box} from './Box.js';
import {Text} from './Text.js';

export interface WebhookListProps {
	webhooks: readonly Webhook[];
	selected: number;
	offset: number;
	/** Rows of webhooks drawn. */
	height: number;
	/** Rows it would like (the layout may give fewer); `height` when absent. */
	grow?: number;
	/** Told the rows the layout gave it, after each change. */
	onRows?(rows: number): void;
	/** Terminal columns; 100 when absent. */
	width?: number;
	/** This listener's target URL: webhooks pointing at it are marked ◆. None: its events come over the websocket. */
	ownTarget: string | undefined;
	focused: boolean;
	/** What an empty list says (loading, none yet, Webex unreachable). */
	placeholder?: string;
	placeholderTone?: 'dim' | 'error';
	/** Shorthand for the placeholder while loading, for callers that only know that. */
	loading?: boolean;
}

interface Columns {
	name: number;
	kind: number;
	/** Omitted when 0. */
	filter: number;
	status: number;
	secret: number;
	short: boolean;
}

// The border and padding of the panel take 4 columns; each cell 1 more for its margin.
function columnsFor(width: number): Columns {
	const inner = width - 4;
	if (inner >= 90) return {name: 18, kind: 18, filter: 22, status: 9, secret: 7, short: false};
	if (inner >= 70) return {name: 14, kind: 11, filter: 12, status: 8, secret: 6, short: true};
	return {name: 14, kind: 11, filter: 0, status: 8, secret: 0, short: true};
}

const marker = 2;

function Cell({width, children, color, bold}: {width?: number; children: string; color?: string; bold?: boolean}) {
	return (
		<Box width={width} flexGrow={width ? 0 : 1} flexShrink={width ? 0 : 1} flexBasis={width ? undefined : 0} marginRight={1}>
			<Text wrap="truncate-end" color={color} bold={bold}>
				{children}
			</Text>
		</Box>
	);
}

function ColumnHeader({columns}: {columns: Columns}) {
	return (
		<Box flexShrink={0}>
			<Cell width={marker}> </Cell>
			<Cell width={columns.name} bold>
				NAME
			</Cell>
			<Cell width={columns.kind} bold>
				{columns.short ? 'KIND' : 'RESOURCE:EVENT'}
			</Cell>
			{columns.filter ? (
				<Cell width={columns.filter} bold>
					FILTER
				</Cell>
			) : null}
			<Cell bold>TARGET</Cell>
			<Cell width={columns.status} bold>
				STATUS
			</Cell>
			{columns.secret ? (
				<Cell width={columns.secret} bold>
					SECRET
				</Cell>
			) : null}
		</Box>
	);
}

export function WebhookRow({webhook, selected, own, focused, columns = columnsFor(100)}: {webhook: Webhook; selected: boolean; own: boolean; focused: boolean; columns?: Columns}) {
	const pointer = selected ? (focused ? '❯' : '›') : ' ';
	return (
		<Box flexShrink={0}>
			<Cell width={marker} color="cyan">{`${pointer}${own ? '◆' : ' '}`}</Cell>
			<Cell width={columns.name} bold={selected}>
				{webhook.name}
			</Cell>
			<Cell width={columns.kind}>{resourceEvent(webhook.resource, webhook.event, columns.short)}</Cell>
			{columns.filter ? <Cell width={columns.filter}>{shortenFilter(webhook.filter)}</Cell> : null}
			<Cell color={own ? 'cyan' : undefined}>{webhook.targetUrl}</Cell>
			<Cell width={columns.status} color={webhook.status === 'active' ? 'green' : 'red'}>
				{webhook.status}
			</Cell>
			{columns.secret ? <Cell width={columns.secret}>{secretState(webhook.secret)}</Cell> : null}
		</Box>
	);
}

function Summary({webhooks, selected, ownTarget}: Pick<WebhookListProps, 'webhooks' | 'selected' | 'ownTarget'>) {
	const current = webhooks[selected];
	if (current?.status === 'inactive') {
		return <Text color="red" wrap="truncate-end">{`“${current.name}” is inactive: press a to reactivate (Webex stopped delivering after failed deliveries).`}</Text>;
	}
	const inactive = webhooks.filter(webhook => webhook.status === 'inactive').length;
	return (
		<Text dimColor wrap="truncate-end">
			{`${webhooks.length === 0 ? 'no webhooks' : `${selected + 1}/${webhooks.length}`}${inactive ? ` · ${inactive} inactive (a reactivates)` : ''}${ownTarget ? ` · ◆ targets this listener, ${ownTarget}` : ' · events come over the websocket: no webhook needed'}`}
		</Text>
	);
}

export function WebhookList({webhooks, selected, offset, height, grow, onRows, width = 100, ownTarget, focused, placeholder, placeholderTone = 'dim', loading = false}: WebhookListProps) {
	const wanted = grow ?? height;
	const [rowsRef, rows] = useMeasuredHeight(wanted);
	useEffect(() => {
		onRows?.(rows);
	}, [rows, onRows]);
	const columns = columnsFor(width);
	const visible = webhooks.slice(offset, offset + height);
	const empty = placeholder ?? (loading ? 'Loading webhooks…' : 'No webhooks yet. Press n to create one.');
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1} flexShrink={1}>
			<ColumnHeader columns={columns} />
			<Box ref={rowsRef} flexDirection="column" height={wanted} flexShrink={1} overflowY="hidden">
				{visible.length === 0 ? (
					<Text color={placeholderTone === 'error' ? 'red' : undefined} dimColor={placeholderTone === 'dim'} wrap="truncate-end">
						{empty}
					</Text>
				) : (
					visible.map((webhook, index) => (
						<WebhookRow key={webhook.id} webhook={webhook} selected={offset + index === selected} own={webhook.targetUrl === ownTarget} focused={focused} columns={columns} />
					))
				)}
			</Box>
			<Box flexShrink={0}>
				<Summary webhooks={webhooks} selected={selected} ownTarget={ownTarget} />
			</Box>
		</Box>
	);
}
