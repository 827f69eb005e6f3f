// Ink's Text for every view: each string it draws goes through safeText, so a
// webhook name holding ESC ] 52 or a carriage return shows as visible escapes
// instead of reaching the terminal, and without colour (NO_COLOR) it draws no
// colour escapes at all. Views import this Text, never Ink's.
import {Text as InkText, type TextProps} from 'ink';
import {Children, type ReactNode} from 'react';
import {safeText} from '../../terminal/safeText.js';
import {useColor} from '../hooks/useColor.js';

const safeChildren = (children: ReactNode) => Children.map(children, child => (typeof child === 'string' ? safeText(child) : child));

export function Text({children, color, backgroundColor, dimColor, ...rest}: TextProps) {
	const colour = useColor();
	return (
		<InkText {...rest} {...(colour ? {color, backgroundColor, dimColor} : {})}>
			{safeChildren(children)}
		</InkText>
	);
}
