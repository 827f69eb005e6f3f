import type {BuildOptions} from 'esbuild';

export declare const requireShim: string;
export declare const cliBundle: BuildOptions;
