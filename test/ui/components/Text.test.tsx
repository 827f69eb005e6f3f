// Colour escapes only appear when chalk thinks the terminal has colour: force
// it before Ink is loaded, so that NO_COLOR's absence of colour is the App's doing.
import test from 'ava';

process.env['FORCE_COLOR'] = '1';
const {render} = await import('ink-testing-library');
const {Text} = await import('../../../source/ui/components/Text.js');
const {ColorContext} = await import('../../../source/ui/hooks/useColor.js');

// SGR colours: 30–39, 40–49, 90–97, 100–107, 38;…/48;…, and dim (2).
const colourEscape = /\u001B\[(?:\d+;)*(?:3\d|4\d|9[0-7]|10[0-7]|2)(?:;\d+)*m/;

test('with colour the Text colours; under NO_COLOR (color false) it draws no colour escape at all', t => {
	const coloured = render(
		<Text color="red" dimColor>
			alert
		</Text>,
	);
	t.regex(coloured.lastFrame() ?? '', colourEscape, 'colour is on in this test, so the next assertion can fail');
	coloured.unmount();
	const plain = render(
		<ColorContext.Provider value={false}>
			<Text color="red" dimColor backgroundColor="blue">
				alert
			</Text>
		</ColorContext.Provider>,
	);
	t.notRegex(plain.lastFrame() ?? '', colourEscape);
	t.true((plain.lastFrame() ?? '').includes('alert'));
	plain.unmount();
});

test('strings from outside are drawn with visible escapes: no OSC 52, no carriage return, no bidi override', t => {
	const name = 'x\u001B]52;c;cm0gLXJmIH4=\u0007\rEVIL\u202Egnp.exe';
	const ui = render(
		<Text>
			webhook {name} and {`${name}`}
		</Text>,
	);
	const frame = ui.lastFrame() ?? '';
	t.false(frame.includes('\u001B]52'), 'no clipboard write reaches the terminal');
	t.false(frame.includes('\r'));
	t.false(frame.includes('\u202E'));
	t.true(frame.includes(String.raw`x\x1b]52;c;cm0gLXJmIH4=\x07\x0dEVIL\u202egnp.exe`));
	ui.unmount();
});
