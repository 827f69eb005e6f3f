// The screen table: one line per kind of route. A new screen is a file here
// plus its line below (and its scope and the key that opens it in keymap.ts).
import type {Route} from '../route.js';
import {AccessScreen, accessScope} from './AccessScreen.js';
import {AuditScreen} from './AuditScreen.js';
import {ConfirmScreen} from './ConfirmScreen.js';
import {DetailScreen} from './DetailScreen.js';
import {EventsScreen, RetryScreen} from './EventsScreen.js';
import {FormScreen} from './FormScreen.js';
import {HelpScreen} from './HelpScreen.js';
import {ListScreen} from './ListScreen.js';
import {QuittingScreen} from './QuittingScreen.js';
import type {ScreenDefinition} from './screen.js';

type Screens = {[K in Route['kind']]: ScreenDefinition<Extract<Route, {kind: K}>>};

export const screens: Screens = {
	list: {Screen: ListScreen, scope: model => model.focus, panes: true},
	detail: {Screen: DetailScreen, scope: () => 'detail', panes: false},
	create: {Screen: FormScreen, scope: () => 'form', panes: false},
	edit: {Screen: FormScreen, scope: () => 'form', panes: false},
	'confirm-delete': {Screen: ConfirmScreen, scope: () => 'confirm', panes: true},
	help: {Screen: HelpScreen, scope: () => 'help', panes: false},
	quitting: {Screen: QuittingScreen, scope: () => 'quitting', panes: true},
	events: {Screen: EventsScreen, scope: () => 'events', panes: false},
	'confirm-retry': {Screen: RetryScreen, scope: () => 'confirm', panes: false},
	access: {Screen: AccessScreen, scope: model => accessScope(model.route), panes: false},
	audit: {Screen: AuditScreen, scope: model => (model.route.kind === 'audit' && model.route.filtering ? 'audit-filter' : 'audit'), panes: false},
};
