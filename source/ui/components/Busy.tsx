// One line with a spinner while a network call is in flight.
import {Text} from 'ink';
import Spinner from 'ink-spinner';

export function Busy({label}: {label: string}) {
	return (
		<Text color="cyan">
			<Spinner /> {label}…
		</Text>
	);
}
