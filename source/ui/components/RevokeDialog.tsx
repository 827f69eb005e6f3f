// "Revoke kate@globomantics.com ACCT100?": y revokes, any other key keeps it.
// The grant is drawn whole (wrapped, not cut), since it is what is at stake.
import {useAction} from '../hooks/useKeys.js';
import {Box} from './Box.js';
import {Text} from './Text.js';

export interface RevokeDialogProps {
	grant: {subject: string; scope: string};
	onConfirm(): void;
	onCancel(): void;
}

export function RevokeDialog({grant, onConfirm, onCancel}: RevokeDialogProps) {
	useAction('confirm', action => (action === 'confirm' ? onConfirm() : onCancel()));
	return (
		<Box flexDirection="column" borderStyle="double" borderColor="red" paddingX={1} flexShrink={0}>
			<Text wrap="wrap">
				Revoke <Text bold>{grant.subject}</Text> <Text bold>{grant.scope}</Text>? Every listener stops honouring it from its next question.
			</Text>
			<Text wrap="truncate-end">
				<Text bold>y</Text> revokes, any other key keeps it.
			</Text>
		</Box>
	);
}
