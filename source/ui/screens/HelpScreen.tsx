// Every key of the screen the help was opened from, from the keymap; any key closes.
import {HelpOverlay} from '../components/HelpOverlay.js';
import {useAction} from '../hooks/useKeys.js';
import {helpRows} from '../keymap.js';
import type {Route} from '../route.js';
import type {ScreenProps} from './screen.js';

export function HelpScreen({route, model}: ScreenProps<Extract<Route, {kind: 'help'}>>) {
	useAction('help', () => model.go(route.back));
	const scope = route.scope ?? (route.back.kind === 'detail' ? 'detail' : model.focus === 'activity' ? 'activity' : 'list');
	return <HelpOverlay rows={helpRows(scope, {chat: model.hasChat})} />;
}
