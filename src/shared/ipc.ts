// The two Electron IPC channel names under which the contract travels. All contract calls go
// through one `invoke` channel (the call name is the first argument) so that main checks the
// sender and validates the input in one place.
export const INVOKE_CHANNEL = 'blockshelf:invoke';
export const EVENT_CHANNEL_PREFIX = 'blockshelf:event:';
