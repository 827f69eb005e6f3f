// The terminal's size, following resizes. ink-testing-library's stdout has
// columns but no rows, so rows fall back to a classic 24.
import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export interface TerminalSize {
	columns: number;
	rows: number;
}

const fallbackRows = 24;

function measure(stdout: NodeJS.WriteStream): TerminalSize {
	return {columns: stdout.columns || 100, rows: stdout.rows || fallbackRows};
}

export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => measure(stdout));
	useEffect(() => {
		const onResize = () => setSize(measure(stdout));
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
