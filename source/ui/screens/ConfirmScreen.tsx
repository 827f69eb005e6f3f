// "Delete webhook …?" over the list: y deletes, any other key goes back.
import {Box} from '../components/Box.js';
import {ConfirmDialog} from '../components/ConfirmDialog.js';
import {ListScreen} from './ListScreen.js';
import type {ScreenProps} from './screen.js';

export function ConfirmScreen(props: ScreenProps<{kind: 'confirm-delete'; id: string; back: 'list' | 'detail'}>) {
	const {route, model} = props;
	const webhook = model.byId(route.id);
	return (
		<Box flexDirection="column" flexShrink={1}>
			<ListScreen {...props} />
			<ConfirmDialog
				message={`Delete webhook “${webhook?.name ?? route.id}” (${webhook?.targetUrl ?? 'unknown target'})?`}
				onConfirm={() => void model.confirmDelete(route.id, route.back)}
				onCancel={() => model.go(route.back === 'detail' ? {kind: 'detail', id: route.id} : {kind: 'list'})}
			/>
		</Box>
	);
}
