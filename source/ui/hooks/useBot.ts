// Who the bot is (people/me). This is also the start-up check of the token:
// a 401 here means the screen explaining WEBEX_TOKEN.
import {useEffect, useState} from 'react';
import type {WebexClient} from '../../webex/types.js';
import {describeError, type UiError} from '../format.js';

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
		client.people.me().then(
			person => {
				if (live) setState({loading: false, bot: {id: person.id, displayName: person.displayName, email: person.emails[0] ?? ''}});
			},
			(error: unknown) => {
				if (live) setState({loading: false, error: describeError(error)});
			},
		);
		return () => {
			live = false;
		};
	}, [client]);
	return state;
}
