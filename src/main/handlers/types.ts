// The handler map's types, derived from the contract: one function per channel, its input as the
// contract parses it and its output as the contract declares it. No handler retypes a channel.
import type { Channel, Output, ParsedInput } from '../../shared/contract';

export interface HandlerContext {
  signal?: AbortSignal;
}

export type Handler<K extends Channel> = (input: ParsedInput<K>, ctx: HandlerContext) => Output<K> | Promise<Output<K>>;

export type Handlers = { [K in Channel]: Handler<K> };
