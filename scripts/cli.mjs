#!/usr/bin/env node
// `npm run cli -- …`: runs the built command line (out/cli/blockshelf.js) in this process,
// building it first when it is missing or older than its sources (scripts/build-cli.mjs).
import { pathToFileURL } from 'node:url';
import { buildCliIfStale } from './build-cli.mjs';

const { file } = await buildCliIfStale({ log: (m) => process.stderr.write(`${m}\n`) });
// The command line runs when it is the script Node started with.
process.argv[1] = file;
await import(pathToFileURL(file).href);
