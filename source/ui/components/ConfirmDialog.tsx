// A yes/no question: `y` confirms, any other key cancels, so a stray key
// never deletes anything.
import {Box, Text} from 'ink';
import {useKeys} from '../hooks/useKeys.js';

export interface ConfirmDialogProps {
	message: string;
	onConfirm(): void;
	onCancel(): void;
}

export function ConfirmDialog({message, onConfirm, onCancel}: ConfirmDialogProps) {
	useKeys(input => {
		if (input === 'y' || input === 'Y') onConfirm();
		else onCancel();
	});
	return (
		<Box borderStyle="double" borderColor="red" paddingX={1}>
			<Text wrap="truncate-end">
				{message} <Text bold>y</Text> to confirm, any other key cancels.
			</Text>
		</Box>
	);
}
