// Attribute keys the OpenTelemetry semantic conventions renamed when they went stable (HTTP in v1.23,
// networking with it), so that a query for either name finds spans written with the other: instrumentations
// of both ages are in use, often within one trace. Only renames that kept the meaning and the value type
// are listed (http.flavor → network.protocol.version did not: "1.1" vs "HTTP/1.1" are kept apart).
//   https://opentelemetry.io/docs/specs/semconv/non-normative/http-migration/
export const SEMCONV_RENAMES: readonly (readonly [old: string, stable: string])[] = [
  ['http.method', 'http.request.method'],
  ['http.status_code', 'http.response.status_code'],
  ['http.url', 'url.full'],
  ['http.target', 'url.path'],
  ['http.scheme', 'url.scheme'],
  ['http.client_ip', 'client.address'],
  ['http.user_agent', 'user_agent.original'],
  ['http.request_content_length', 'http.request.body.size'],
  ['http.response_content_length', 'http.response.body.size'],
  ['net.peer.name', 'server.address'],
  ['net.peer.port', 'server.port'],
  ['net.host.name', 'server.address'],
  ['net.host.port', 'server.port'],
  ['net.sock.peer.addr', 'network.peer.address'],
  ['net.sock.peer.port', 'network.peer.port'],
  ['net.transport', 'network.transport'],
  ['db.system', 'db.system.name'],
  ['db.statement', 'db.query.text'],
  ['db.operation', 'db.operation.name'],
  ['db.sql.table', 'db.collection.name'],
  ['messaging.destination', 'messaging.destination.name'],
  ['messaging.operation', 'messaging.operation.type'],
];

const EQUIVALENTS = new Map<string, string[]>();
for (const [old, stable] of SEMCONV_RENAMES) {
  for (const [a, b] of [
    [old, stable],
    [stable, old],
  ]) {
    const list = EQUIVALENTS.get(a) ?? [a];
    if (!list.includes(b)) list.push(b);
    EQUIVALENTS.set(a, list);
  }
}

/**
 * The key and the names it had or has in the other generation of the conventions, the given key first
 * (`http.status_code` → [http.status_code, http.response.status_code]); a key without a rename alone.
 */
export function equivalentKeys(key: string): readonly string[] {
  return EQUIVALENTS.get(key) ?? [key];
}
