// Types of scripts/build-cli.mjs, for the TypeScript that imports it (tests, benchmarks).
export declare const cliOutDir: string;
/** out/cli/blockshelf.js: the built command line. */
export declare const cliFile: string;
/** True when the built command line is missing or older than a source it is built from. */
export declare function cliIsStale(): boolean;
export declare function buildCli(opts?: { log?: (message: string) => void }): Promise<string>;
export declare function buildCliIfStale(opts?: { log?: (message: string) => void }): Promise<{ file: string; built: boolean }>;
