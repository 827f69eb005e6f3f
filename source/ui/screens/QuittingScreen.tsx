// The list, frozen, while the listener stops.
import {Box} from '../components/Box.js';
import {Busy} from '../components/Busy.js';
import {ListScreen} from './ListScreen.js';
import type {ScreenProps} from './screen.js';

export function QuittingScreen(props: ScreenProps) {
	return (
		<Box flexDirection="column" flexShrink={1}>
			<ListScreen {...props} />
			<Busy label="Stopping the listener" />
		</Box>
	);
}
