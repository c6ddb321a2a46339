// One request to a storage node over a fresh connection, answered or timed out
// as a value. The runtime uses it for health; tests use it to talk to a
// storage node directly, as the writer would.

import net from 'node:net';
import type { Unbranded } from '../../../core/brand.js';
import type { StorageReply, StorageRequest } from '../../protocol/storage-messages.js';
import { FrameDecoder, frameEncode } from '../../protocol/frame.js';
import type { Address } from '../../topology.js';

export type StorageRequestResult =
  { readonly ok: true; readonly reply: StorageReply } | { readonly ok: false; readonly error: string };

/**
 * Sends `request` and resolves with the reply that echoes its rid, or an error after timeoutMs (connect included).
 * The request goes out as JSON, so its LSNs, epochs and PGs may be plain numbers: the node parses and checks them.
 */
export function storageRequestOnce(
  address: Address,
  request: Unbranded<StorageRequest>,
  timeoutMs: number,
): Promise<StorageRequestResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.host, port: address.port, noDelay: true });
    const decoder = new FrameDecoder();
    let settled = false;
    const finish = (result: StorageRequestResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, error: `no reply to ${request.t} within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('connect', () => socket.write(frameEncode(request)));
    socket.on('data', (chunk: Buffer) => {
      const { messages, error } = decoder.push(chunk);
      const reply = messages.find((m): m is StorageReply => isObject(m) && m['rid'] === request.rid);
      if (reply !== undefined) finish({ ok: true, reply });
      else if (error) finish({ ok: false, error: `bad frame from ${address.host}:${address.port}: ${error.message}` });
    });
    socket.on('error', (error) => finish({ ok: false, error: `${address.host}:${address.port}: ${error.message}` }));
    socket.on('close', () =>
      finish({ ok: false, error: `${address.host}:${address.port} closed the connection before replying` }),
    );
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
