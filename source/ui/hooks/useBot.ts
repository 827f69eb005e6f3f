// Who the bot is (people/me). This is also the start-up check of the token:
// a 401 here means the screen explaining WEBEX_TOKEN.
import {useEffect, useState} from 'react';
import type {WebexClient} from '../../webex/types.js';
import {describeError, isTransientError, type UiError} from '../format.js';
import {retryDelayMs} from '../retry.js';

export interface BotIdentity {
	id: string;
	displayName: string;
	email: string;
}

export interface BotState {
	bot?: BotIdentity;
	error?: UiError;
	loading: boolean;
}

export function useBot(client: WebexClient): BotState {
	const [state, setState] = useState<BotState>({loading: true});
	useEffect(() => {
		let live = true;
		let timer: NodeJS.Timeout | undefined;
		const ask = (attempt: number) => {
			client.people.me().then(
				person => {
					if (live) setState({loading: false, bot: {id: person.id, displayName: person.displayName, email: person.emails[0] ?? ''}});
				},
				(error: unknown) => {
					if (!live) return;
					const shown = describeError(error);
					setState({loading: false, error: shown});
					// Webex down at start-up: ask again (the list says so and counts down), a rejected token is final.
					if (isTransientError(shown)) timer = setTimeout(() => ask(attempt + 1), retryDelayMs(attempt, shown.retryAfterMs));
				},
			);
		};
		ask(1);
		return () => {
			live = false;
			if (timer) clearTimeout(timer);
		};
	}, [client]);
	return state;
}
