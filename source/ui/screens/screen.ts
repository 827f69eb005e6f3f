// What a screen is: a view of the App model for one kind of route, the keymap
// scope its footer shows, and whether the activity (and chat) panes share the
// terminal with it. The screen table (index.ts) lists them all.
import type {ComponentType} from 'react';
import type {AppModel} from '../hooks/useAppModel.js';
import type {Scope} from '../keymap.js';
import type {Route} from '../route.js';

export interface ScreenProps<R extends Route = Route> {
	route: R;
	model: AppModel;
	/** Terminal columns. */
	width: number;
}

export interface ScreenDefinition<R extends Route = Route> {
	Screen: ComponentType<ScreenProps<R>>;
	/** The keymap scope the footer (and the help opened from here) shows. */
	scope(model: AppModel): Scope;
	/** True when the activity and chat panes are drawn under it; taller screens take those rows themselves. */
	panes: boolean;
}
