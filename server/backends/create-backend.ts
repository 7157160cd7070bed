// A configured upstream → its adapter. The embedded store is made elsewhere (it is not an upstream).
import type { UpstreamConfig } from '../config.ts';
import type { Backend } from './backend.ts';
import { createJaegerBackend } from './jaeger.ts';
import { createTempoBackend } from './tempo.ts';
import { createZipkinBackend } from './zipkin.ts';

export function createUpstreamBackend(config: UpstreamConfig): Backend {
  switch (config.type) {
    case 'jaeger':
      return createJaegerBackend(config);
    case 'tempo':
      return createTempoBackend(config);
    case 'zipkin':
      return createZipkinBackend(config);
  }
}
