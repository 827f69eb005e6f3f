// The webhook table. Only the visible window of rows is rendered, so a list
// of thousands costs what a screenful costs.
import {Box, Text} from 'ink';
import type {Webhook} from '../model.js';
import {secretState, shortenFilter} from '../format.js';

export interface WebhookListProps {
	webhooks: readonly Webhook[];
	selected: number;
	offset: number;
	/** Rows available for webhooks. */
	height: number;
	/** This listener's target URL: webhooks pointing at it are marked ◆. */
	ownTarget: string;
	focused: boolean;
	loading: boolean;
}

const columns = {marker: 3, name: 18, kind: 18, filter: 22, status: 9, secret: 7} as const;

function Cell({width, children, color, bold}: {width?: number; children: string; color?: string; bold?: boolean}) {
	return (
		<Box width={width} flexGrow={width ? 0 : 1} flexShrink={width ? 0 : 1} marginRight={1}>
			<Text wrap="truncate-end" color={color} bold={bold}>
				{children}
			</Text>
		</Box>
	);
}

function ColumnHeader() {
	return (
		<Box>
			<Cell width={columns.marker}> </Cell>
			<Cell width={columns.name} bold>
				NAME
			</Cell>
			<Cell width={columns.kind} bold>
				RESOURCE:EVENT
			</Cell>
			<Cell width={columns.filter} bold>
				FILTER
			</Cell>
			<Cell bold>TARGET</Cell>
			<Cell width={columns.status} bold>
				STATUS
			</Cell>
			<Cell width={columns.secret} bold>
				SECRET
			</Cell>
		</Box>
	);
}

export function WebhookRow({webhook, selected, own, focused}: {webhook: Webhook; selected: boolean; own: boolean; focused: boolean}) {
	const pointer = selected ? (focused ? '❯' : '›') : ' ';
	return (
		<Box>
			<Cell width={columns.marker} color="cyan">{`${pointer}${own ? '◆' : ' '}`}</Cell>
			<Cell width={columns.name} bold={selected}>
				{webhook.name}
			</Cell>
			<Cell width={columns.kind}>{`${webhook.resource}:${webhook.event}`}</Cell>
			<Cell width={columns.filter}>{shortenFilter(webhook.filter)}</Cell>
			<Cell color={own ? 'cyan' : undefined}>{webhook.targetUrl}</Cell>
			<Cell width={columns.status} color={webhook.status === 'active' ? 'green' : 'red'}>
				{webhook.status}
			</Cell>
			<Cell width={columns.secret}>{secretState(webhook.secret)}</Cell>
		</Box>
	);
}

function Summary({webhooks, selected, ownTarget}: Pick<WebhookListProps, 'webhooks' | 'selected' | 'ownTarget'>) {
	const current = webhooks[selected];
	if (current?.status === 'inactive') {
		return (
			<Text color="red" wrap="truncate-end">
				“{current.name}” is inactive: press a to reactivate (Webex stopped delivering after failed deliveries).
			</Text>
		);
	}
	const inactive = webhooks.filter(webhook => webhook.status === 'inactive').length;
	return (
		<Text dimColor wrap="truncate-end">
			{webhooks.length === 0 ? 'no webhooks' : `${selected + 1}/${webhooks.length}`}
			{inactive ? ` · ${inactive} inactive (a reactivates)` : ''} · ◆ targets this listener, {ownTarget}
		</Text>
	);
}

export function WebhookList({webhooks, selected, offset, height, ownTarget, focused, loading}: WebhookListProps) {
	const visible = webhooks.slice(offset, offset + height);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1}>
			<ColumnHeader />
			<Box flexDirection="column" height={height}>
				{visible.length === 0 ? (
					<Text dimColor>{loading ? 'Loading webhooks…' : 'No webhooks yet. Press n to create one.'}</Text>
				) : (
					visible.map((webhook, index) => (
						<WebhookRow key={webhook.id} webhook={webhook} selected={offset + index === selected} own={webhook.targetUrl === ownTarget} focused={focused} />
					))
				)}
			</Box>
			<Summary webhooks={webhooks} selected={selected} ownTarget={ownTarget} />
		</Box>
	);
}
