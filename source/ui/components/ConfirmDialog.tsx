// A yes/no question: `y` confirms, any other key cancels, so a stray key
// never deletes anything.
import {Box} from './Box.js';
import {Text} from './Text.js';
import {useAction} from '../hooks/useKeys.js';

export interface ConfirmDialogProps {
	message: string;
	onConfirm(): void;
	onCancel(): void;
}

export function ConfirmDialog({message, onConfirm, onCancel}: ConfirmDialogProps) {
	useAction('confirm', action => (action === 'confirm' ? onConfirm() : onCancel()));
	return (
		<Box borderStyle="double" borderColor="red" paddingX={1} flexShrink={0}>
			<Text wrap="truncate-end">
				{message} <Text bold>y</Text> to confirm, any other key cancels.
			</Text>
		</Box>
	);
}
