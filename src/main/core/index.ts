// The core (plain Node, no electron): `createCore` and its public types. The Electron main
// process, the CLI and the e2e test host import it from here.
export { createCore } from './compose';
export type { Core, CoreHooks, CoreOptions, HandlerContext, Handlers } from './types';
export { lockError, toErrorPayload } from './errors';
