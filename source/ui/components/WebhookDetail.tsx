// Every field of one webhook; the secret only as "set", never its value.
import {Box, Text} from 'ink';
import type {Webhook} from '../model.js';
import {maskedSecret} from '../format.js';

export interface WebhookDetailProps {
	webhook: Webhook;
	ownTarget: string;
}

function Field({label, children, color}: {label: string; children: string; color?: string}) {
	return (
		<Box>
			<Box width={12} flexShrink={0}>
				<Text dimColor>{label}</Text>
			</Box>
			<Text color={color} wrap="truncate-end">
				{children}
			</Text>
		</Box>
	);
}

export function WebhookDetail({webhook, ownTarget}: WebhookDetailProps) {
	const own = webhook.targetUrl === ownTarget;
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
			<Text bold>Webhook {webhook.name}</Text>
			<Field label="id">{webhook.id}</Field>
			<Field label="name">{webhook.name}</Field>
			<Field label="target" color={own ? 'cyan' : undefined}>
				{own ? `${webhook.targetUrl}  ◆ this listener` : webhook.targetUrl}
			</Field>
			<Field label="resource">{webhook.resource}</Field>
			<Field label="event">{webhook.event}</Field>
			<Field label="filter">{webhook.filter ?? '(none)'}</Field>
			<Field label="secret">{maskedSecret(webhook.secret)}</Field>
			<Field label="status" color={webhook.status === 'active' ? 'green' : 'red'}>
				{webhook.status === 'active' ? 'active' : 'inactive (press a to reactivate)'}
			</Field>
			<Field label="created">{webhook.created}</Field>
			<Field label="ownedBy">{webhook.ownedBy ?? '—'}</Field>
			<Field label="createdBy">{webhook.createdBy ?? '—'}</Field>
			<Field label="orgId">{webhook.orgId ?? '—'}</Field>
			<Field label="appId">{webhook.appId ?? '—'}</Field>
			<Text dimColor>Esc back · e edit · a reactivate · d delete</Text>
		</Box>
	);
}
