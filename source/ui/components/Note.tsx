// A one-line confirmation of what just happened ("Deleted …").
import {Text} from './Text.js';

export function Note({text}: {text: string}) {
	return (
		<Text color="green" wrap="truncate-end">
			✔ {text}
		</Text>
	);
}
