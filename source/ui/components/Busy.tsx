// One line with a spinner while a network call is in flight.
import {Text} from './Text.js';
import Spinner from 'ink-spinner';

export function Busy({label}: {label: string}) {
	return (
		<Text color="cyan">
			<Spinner /> {label}…
		</Text>
	);
}
