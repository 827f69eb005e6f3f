// Whether the TUI may colour its output. The command decides (NO_COLOR, from
// the configuration) and the App provides it; views never read the environment.
import {createContext, useContext} from 'react';

export const ColorContext = createContext(true);

export const useColor = () => useContext(ColorContext);
