// The grants table of the Access screen: subject, scope and where the grant
// comes from (the database, or GLOBOBOT_ALLOW). Only the visible window of
// rows is drawn, as many as the layout gave it; the columns follow the width.
import {useEffect} from 'react';
import {useMeasuredHeight} from '../hooks/useMeasuredHeight.js';
import type {AccessGrant} from '../ports.js';
import {Box} from './Box.js';
import {Text} from './Text.js';

export interface GrantListProps {
	grants: readonly AccessGrant[];
	selected: number;
	offset: number;
	/** Rows of grants drawn. */
	height: number;
	/** Told the rows the layout gave it. */
	onRows?(rows: number): void;
	width: number;
	focused: boolean;
	/** What an empty list says (loading, none, the database unreachable). */
	placeholder: string;
	placeholderTone?: 'dim' | 'error';
}

function Cell({width, children, color, bold, dim}: {width?: number; children: string; color?: string; bold?: boolean; dim?: boolean}) {
	return (
		<Box width={width} flexGrow={width ? 0 : 1} flexShrink={width ? 0 : 1} flexBasis={width ? undefined : 0} marginRight={1}>
			<Text wrap="truncate-end" color={color} bold={bold} dimColor={dim}>
				{children}
			</Text>
		</Box>
	);
}

// The border and padding take 4 columns.
const scopeWidth = (width: number) => (width - 4 >= 70 ? 20 : 14);
const sourceWidth = 14;

function Row({grant, selected, focused, width}: {grant: AccessGrant; selected: boolean; focused: boolean; width: number}) {
	const allow = grant.source === 'GLOBOBOT_ALLOW';
	return (
		<Box flexShrink={0}>
			<Cell width={1} color="cyan">
				{selected ? (focused ? '❯' : '›') : ' '}
			</Cell>
			<Cell bold={selected}>{grant.subject}</Cell>
			<Cell width={scopeWidth(width)}>{grant.scope}</Cell>
			<Cell width={sourceWidth} color={allow ? 'yellow' : undefined} dim={!allow}>
				{grant.source}
			</Cell>
		</Box>
	);
}

function Summary({grants, selected}: {grants: readonly AccessGrant[]; selected: number}) {
	const current = grants[selected];
	if (current?.source === 'GLOBOBOT_ALLOW') {
		return <Text color="yellow" wrap="truncate-end">{`${current.subject} ${current.scope}: from GLOBOBOT_ALLOW, not revocable here`}</Text>;
	}
	const allow = grants.filter(grant => grant.source === 'GLOBOBOT_ALLOW').length;
	return (
		<Text dimColor wrap="truncate-end">
			{`${grants.length === 0 ? 'no grants' : `${selected + 1}/${grants.length}`}${allow ? ` · ${allow} from GLOBOBOT_ALLOW` : ''} · default deny: what no grant covers is refused`}
		</Text>
	);
}

export function GrantList({grants, selected, offset, height, onRows, width, focused, placeholder, placeholderTone = 'dim'}: GrantListProps) {
	const wanted = Math.max(3, grants.length);
	const [rowsRef, rows] = useMeasuredHeight(wanted);
	useEffect(() => {
		onRows?.(rows);
	}, [rows, onRows]);
	const visible = grants.slice(offset, offset + height);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1} flexShrink={1}>
			<Box flexShrink={0}>
				<Text wrap="truncate-end">
					<Text bold>Access</Text>
					<Text dimColor> · who may see which accounts; a change reaches every listener on its next question</Text>
				</Text>
			</Box>
			<Box flexShrink={0}>
				<Cell width={1}> </Cell>
				<Cell bold>SUBJECT</Cell>
				<Cell width={scopeWidth(width)} bold>
					SCOPE
				</Cell>
				<Cell width={sourceWidth} bold>
					SOURCE
				</Cell>
			</Box>
			<Box ref={rowsRef} flexDirection="column" height={wanted} flexShrink={1} overflowY="hidden">
				{visible.length === 0 ? (
					<Text color={placeholderTone === 'error' ? 'red' : undefined} dimColor={placeholderTone === 'dim'} wrap="truncate-end">
						{placeholder}
					</Text>
				) : (
					visible.map((grant, index) => <Row key={`${grant.source}\n${grant.subject}\n${grant.scope}`} grant={grant} selected={offset + index === selected} focused={focused} width={width} />)
				)}
			</Box>
			<Box flexShrink={0}>
				<Summary grants={grants} selected={selected} />
			</Box>
		</Box>
	);
}
