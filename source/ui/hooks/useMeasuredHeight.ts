// The rows a Box was given by the layout (Ink's measureElement), after each
// commit: the list and the panes draw as many rows as they got, instead of
// the App adding up its children's heights by hand.
import {measureElement, type DOMElement} from 'ink';
import {useEffect, useRef, useState, type RefObject} from 'react';

export function useMeasuredHeight(initial: number): [RefObject<DOMElement | null>, number] {
	const ref = useRef<DOMElement | null>(null);
	const [height, setHeight] = useState(initial);
	useEffect(() => {
		if (!ref.current) return;
		const measured = measureElement(ref.current).height;
		if (measured !== height) setHeight(measured);
	});
	return [ref, height];
}
