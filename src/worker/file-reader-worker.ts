// Reads a dropped file in slices and hands them to the trace worker over a MessagePort, so the file is
// read while the trace worker parses the slices before (a Blob read makes progress only while its
// thread's event loop turns, and the trace worker's is busy) and the main thread stays idle.
import type { FileReadRequest, FileReaderControl, FileSliceMessage } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

// Big slices read much faster than File.stream()'s 64 KB chunks; a small first one starts parsing early.
const FIRST_SLICE_BYTES = 2 << 20;
const SLICE_BYTES = 8 << 20;
// Not too far ahead of the parser: slices waiting in its queue are memory twice over.
const READ_AHEAD_BYTES = 24 << 20;

scope.onmessage = (event: MessageEvent<FileReadRequest>) => void sendFile(event.data.file, event.data.port);

async function sendFile(file: File, port: MessagePort): Promise<void> {
  let target: Uint8Array | undefined;
  let told = false;
  let taken = 0;
  let wake: (() => void) | undefined;
  port.onmessage = (event: MessageEvent<FileReaderControl>) => {
    const message = event.data;
    if (message.type === 'target') {
      target = message.shared && new Uint8Array(message.shared);
      told = true;
    } else taken = message.taken;
    wake?.();
  };
  const nextMessage = () => new Promise<void>((resolve) => (wake = resolve));
  const send = (message: FileSliceMessage, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  try {
    while (!told && taken >= 0) await nextMessage();
    for (let at = 0; at < file.size; ) {
      // Each slice read is a new buffer, garbage once copied: running far ahead piles them up.
      while (at - taken > READ_AHEAD_BYTES && taken >= 0) await nextMessage();
      if (taken < 0) return; // the load was given up
      const end = Math.min(file.size, at + (at === 0 ? FIRST_SLICE_BYTES : SLICE_BYTES));
      const buffer = await file.slice(at, end).arrayBuffer();
      if (target) {
        target.set(new Uint8Array(buffer), at);
        // The copied slice goes along as garbage: this worker allocates too little for its collector to
        // run, and a 1M-span file's slices piled up here (+0.6 GB), while the trace worker's runs often.
        send({ type: 'slice', at, length: buffer.byteLength, spent: buffer }, [buffer]);
      } else send({ type: 'slice', at, length: buffer.byteLength, bytes: new Uint8Array(buffer) }, [buffer]);
      at = end;
    }
    send({ type: 'end', error: undefined });
  } catch (err) {
    send({ type: 'end', error: err instanceof Error ? err.message : String(err) });
  } finally {
    port.close();
  }
}
