import test from 'ava';
import {render} from 'ink-testing-library';
import {Footer} from '../../../source/ui/components/Footer.js';
import {plain} from '../../helpers/ink.js';

test('at 60 and 80 columns the list footer fits one line and keeps c, ? and q; a wide one shows every key', t => {
	for (const width of [60, 80]) {
		const {lastFrame, unmount} = render(<Footer scope="list" width={width} chat />);
		const frame = plain(lastFrame());
		t.is(frame.split('\n').length, 1);
		t.true([...frame].length <= width, `${width}: ${frame}`);
		t.regex(frame, /c chat\s+\? help\s+q quit$/);
		unmount();
	}
	const wide = render(<Footer scope="list" width={160} chat />);
	t.regex(plain(wide.lastFrame()), /Tab activity/);
	wide.unmount();
});

test('the form and the confirmation keep the keys that get out of them', t => {
	const form = render(<Footer scope="form" width={30} />);
	t.regex(plain(form.lastFrame()), /Enter save\s+Esc cancel/);
	form.unmount();
	const confirm = render(<Footer scope="confirm" width={60} />);
	t.regex(plain(confirm.lastFrame()), /y confirm\s+any other key cancel/);
	confirm.unmount();
});
