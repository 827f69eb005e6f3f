// Ink's Box for every view, without border colours when colour is off (NO_COLOR).
import {Box as InkBox, type BoxProps, type DOMElement} from 'ink';
import type {ReactNode, Ref} from 'react';
import {useColor} from '../hooks/useColor.js';

export function Box({borderColor, ref, ...rest}: BoxProps & {ref?: Ref<DOMElement>; children?: ReactNode}) {
	const colour = useColor();
	return <InkBox ref={ref} {...rest} {...(colour && borderColor ? {borderColor} : {})} />;
}
