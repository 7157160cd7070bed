// A one-line summary of a span that reads like the request ("POST /api/orders → 201",
// "postgresql SELECT orders", "kafka publish order-events", "grpc payment.Payment/Charge OK"), from the
// OpenTelemetry semantic conventions (current and older attribute names, plus the OpenTracing/Datadog
// spellings real files carry), falling back to Datadog's resource.name and then to the span name.
//
// The operation label vs the span label (one rule, used by every view; see docs/adr/0009-operation-names.md):
//   operation label  what the span *does*: "POST /charge", "grpc payment.Payment/Charge", "postgresql SELECT
//                    orders", else the span name. Statistics, the operation graph, the flame graph, Compare,
//                    the trace title and search results name and group operations by it.
//   span label       the operation label plus what happened on this one call: the HTTP status
//                    ("POST /charge → 402") or the gRPC status ("… Charge NOT_FOUND"). Waterfall rows show it.
//   raw name         the span name as recorded ("POST", "web.request"): shown beside the label in details and
//                    tooltips, and what the Sampling lab's policies and the backends' operation filter match.
//
// It runs for every span of a 1M-span trace, so a span's attribute range is read once, comparing interned
// key ids against the handful of keys below; string work happens only for the values that are used.
import { attrValueToString, type AttrValue } from '../model/attributes.ts';
import type { StringTable } from '../model/string-table.ts';
import type { NameIds } from './cross-trace-ids.ts';
import { SPAN_KINDS, spanName, type TraceModel } from '../model/trace-model.ts';

/** The keys a label may use, by role, in order of preference (first present wins). */
const ROLES = {
  httpMethod: ['http.request.method', 'http.method'],
  // Route first: a template ("/orders/{id}") reads better and gives fewer distinct labels than a path.
  httpRoute: ['http.route'],
  httpPath: ['url.path', 'http.target', 'http.path'],
  httpUrl: ['url.full', 'http.url'],
  httpStatus: ['http.response.status_code', 'http.status_code'],
  dbSystem: ['db.system.name', 'db.system', 'db.type'],
  dbOperation: ['db.operation.name', 'db.operation'],
  dbTable: ['db.collection.name', 'db.sql.table', 'db.mongodb.collection', 'db.cassandra.table'],
  dbStatement: ['db.query.text', 'db.statement', 'sql'],
  // JDBC instrumentations name the system only inside the connection URL ("jdbc:postgresql://…").
  dbConnection: ['db.connection_string', 'db.instance', 'database'],
  msgSystem: ['messaging.system'],
  msgOperation: ['messaging.operation.type', 'messaging.operation', 'messaging.operation.name'],
  msgDestination: ['messaging.destination.name', 'messaging.destination'],
  rpcSystem: ['rpc.system.name', 'rpc.system'],
  rpcService: ['rpc.service'],
  rpcMethod: ['rpc.method'],
  rpcGrpcStatus: ['rpc.grpc.status_code'],
  rpcStatus: ['rpc.response.status_code', 'rpc.connect_rpc.error_code'],
  ddResource: ['resource.name'],
} as const;

type RoleName = keyof typeof ROLES;
const ROLE_NAMES = Object.keys(ROLES) as RoleName[];
/** Role name → its number (a bit in SlotReader.roles). */
const ROLE = Object.fromEntries(ROLE_NAMES.map((name, r) => [name, r])) as Record<RoleName, number>;

// Every key gets a slot; the keys of one role occupy consecutive slots in preference order.
const SLOT_OF_KEY = new Map<string, number>();
const ROLE_FIRST = new Uint8Array(ROLE_NAMES.length);
const ROLE_END = new Uint8Array(ROLE_NAMES.length);
const ROLE_OF_SLOT: number[] = [];
ROLE_NAMES.forEach((name, r) => {
  ROLE_FIRST[r] = SLOT_OF_KEY.size;
  for (const key of ROLES[name]) {
    ROLE_OF_SLOT.push(r);
    SLOT_OF_KEY.set(key, SLOT_OF_KEY.size);
  }
  ROLE_END[r] = SLOT_OF_KEY.size;
});
const NO_SLOT = -1;
if (ROLE_NAMES.length > 31) throw new Error('span-label: a role is a bit of an int32 mask; at most 31 roles');
const bits = (...names: RoleName[]) => names.reduce((mask, name) => mask | (1 << ROLE[name]), 0);
const MESSAGING_ROLES = bits('msgSystem', 'msgDestination');
const DB_ROLES = bits('dbSystem', 'dbOperation', 'dbTable', 'dbStatement', 'dbConnection');
const RPC_ROLES = bits('rpcSystem', 'rpcService', 'rpcMethod');
const HTTP_ROLES = bits('httpMethod', 'httpRoute', 'httpPath', 'httpUrl');

/**
 * The label keys of one span, reused from span to span: a slot holds a value only when its stamp is the
 * current span's, so nothing is cleared between spans; `roles` has a bit per role present.
 */
class SlotReader {
  private readonly values: (AttrValue | undefined)[] = new Array<AttrValue | undefined>(SLOT_OF_KEY.size).fill(undefined);
  private readonly stamp = new Uint32Array(SLOT_OF_KEY.size);
  private current = 0;
  roles = 0;

  /**
   * @param slotOfKeyId key id → slot, filled in as keys are met (-2: not looked up yet); without it,
   *   every key is looked up by name (for one span, where a table the size of the strings would cost more).
   */
  constructor(
    private readonly strings: StringTable,
    private readonly slotOfKeyId: Int16Array | undefined,
  ) {}

  read(model: TraceModel, i: number): void {
    const { keys, values } = model.stores.attributes;
    const table = this.slotOfKeyId;
    const current = ++this.current;
    this.roles = 0;
    for (let a = model.attrStart[i], end = a + model.attrCount[i]; a < end; a++) {
      const keyId = keys[a];
      let slot = table ? table[keyId] : -2;
      if (slot === -2) {
        slot = SLOT_OF_KEY.get(this.strings.get(keyId)) ?? NO_SLOT;
        if (table) table[keyId] = slot;
      }
      if (slot < 0 || this.stamp[slot] === current) continue; // a repeated key: the first one counts
      this.stamp[slot] = current;
      this.values[slot] = values[a];
      this.roles |= 1 << ROLE_OF_SLOT[slot];
    }
  }

  /** The first non-empty value of a role, as text ('' when none). */
  pick(role: number): string {
    if ((this.roles & (1 << role)) === 0) return '';
    for (let s = ROLE_FIRST[role]; s < ROLE_END[role]; s++) {
      const value = this.values[s];
      if (this.stamp[s] !== this.current || value === undefined) continue;
      const text = typeof value === 'string' ? trimmed(value) : attrValueToString(value);
      if (text !== '') return text;
    }
    return '';
  }
}

const GRPC_CODES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];
const KIND_PRODUCER = SPAN_KINDS.indexOf('producer');
const KIND_CONSUMER = SPAN_KINDS.indexOf('consumer');
const HTTP_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
const MAX_STATEMENT_CHARS = 60;
const WHITESPACE_RUN = /\s+/g;
const JDBC_URL = /^jdbc:([a-z0-9]+)[:/]/i;
const HTTP_WORD = /^(?:https?\b|ingress$|egress$)/i;
/** A scheme, or a host with a dot or a port, then a path. */
const URL_NAME = /^(?:[a-z][a-z0-9+.-]*:\/\/[^\s/]+|[^\s/]*[.:][^\s/]*)\/\S*$/i;

/** The label of span i (with its status). For every span of a trace, use spanLabels (it resolves attribute keys once). */
export function spanLabel(model: TraceModel, i: number): string {
  const slots = new SlotReader(model.stores.strings, undefined);
  slots.read(model, i);
  return labelFromSlots(model, i, slots, true);
}

/** The operation label of span i: its span label without the call's status. */
export function operationLabel(model: TraceModel, i: number): string {
  const slots = new SlotReader(model.stores.strings, undefined);
  slots.read(model, i);
  return labelFromSlots(model, i, slots, false);
}

export interface SpanLabels {
  /** Span index → index in `labels`. */
  readonly labelId: Uint32Array;
  /** The labels in order of first use; distinct, unless nearly every span has a label of its own. */
  readonly labels: string[];
}

/** Labels looked up before deciding whether interning pays. */
const INTERN_PROBE = 4096;

/** The labels of all spans, interned: most spans of a trace share a few hundred labels. */
export function spanLabels(model: TraceModel): SpanLabels {
  return internLabels(model, true);
}

/** The operation labels of all spans, interned (what views group spans by). */
export function operationLabels(model: TraceModel): SpanLabels {
  return internLabels(model, false);
}

/**
 * Per span, the id in `names` of its service and of its operation label: the key of an operation across
 * traces (each load has its own string table, `names` is shared). One per analysis: what it learns of a
 * string table (which keys name labels, the label of a bare span name) serves every trace that shares it,
 * so 100,000 traces of one file cost no more lookups than one trace of their size.
 */
export class OperationKeys {
  private readonly tables = new Map<StringTable, NameTable>();

  constructor(private readonly names: NameIds) {}

  /** @param into arrays to write into when they are long enough (a caller keying many traces one by one) */
  of(model: TraceModel, into?: SpanOperationKeys): SpanOperationKeys {
    const { strings } = model.stores;
    let table = this.tables.get(strings);
    if (!table || table.nameOfNameId.length < strings.size) {
      table = new NameTable(strings);
      this.tables.set(strings, table);
    }
    const { slots, nameOfNameId } = table;
    const serviceOf = into && into.serviceOf.length >= model.spanCount ? into.serviceOf : new Uint32Array(model.spanCount);
    const operationOf = into && into.operationOf.length >= model.spanCount ? into.operationOf : new Uint32Array(model.spanCount);
    for (let i = 0; i < model.spanCount; i++) {
      serviceOf[i] = this.names.of(strings, model.serviceId[i]);
      slots.read(model, i);
      const nameId = model.nameId[i];
      if (slots.roles === 0 || ((slots.roles & ~HTTP_REQUEST_ROLES) === 0 && table.namesOperation(nameId))) {
        // No label key, or an HTTP span without a route whose name is its own: the span's name is its
        // label, interned once per name id.
        if (nameOfNameId[nameId] < 0) nameOfNameId[nameId] = this.names.intern(strings.get(nameId));
        operationOf[i] = nameOfNameId[nameId];
      } else if ((slots.roles & ~HTTP_REQUEST_ROLES) === 0 && (slots.roles & HTTP_ROLES) !== 0 && table.pathInName(nameId)) {
        // An HTTP span named by its route ("GET /orders/{id}"): its label is the method and that route,
        // interned once per name id and method (what httpLabel gives, without building it per span).
        operationOf[i] = table.httpByName(nameId, slots.pick(ROLE.httpMethod), this.names);
      } else if ((slots.roles & ~HTTP_ROUTE_ROLES) === 0 && (slots.roles & ROUTE_ROLE) !== 0 && slots.pick(ROLE.httpRoute) !== '') {
        // An HTTP span with an http.route attribute: the method and that route, interned once per route
        // and method (a route is a template: few, each met by many spans).
        operationOf[i] = table.httpByRoute(slots.pick(ROLE.httpRoute), slots.pick(ROLE.httpMethod) || table.methodInName(nameId), this.names);
      } else {
        operationOf[i] = this.names.intern(labelFromSlots(model, i, slots, false));
      }
    }
    return { serviceOf, operationOf };
  }
}

/** The roles an HTTP span's operation label may read when its name is its route (the status is not in it). */
const HTTP_REQUEST_ROLES = bits('httpMethod', 'httpPath', 'httpUrl', 'httpStatus');
const ROUTE_ROLE = bits('httpRoute');
/** The same with an http.route attribute, which comes before the name and the path. */
const HTTP_ROUTE_ROLES = HTTP_REQUEST_ROLES | ROUTE_ROLE;

/** Per span, the ids in NameIds of its service and of its operation label (the arrays may be longer than the trace). */
export interface SpanOperationKeys {
  readonly serviceOf: Uint32Array;
  readonly operationOf: Uint32Array;
}

/** What OperationKeys learns of one string table. */
class NameTable {
  readonly slots: SlotReader;
  /** Name id → the key of a span labelled by its name alone (-1: not met yet). */
  readonly nameOfNameId: Int32Array;
  private readonly pathOfNameId: (string | undefined)[] = [];
  private readonly methodOfNameId: (string | undefined)[] = [];
  private readonly ownNameOfNameId: (boolean | undefined)[] = [];
  private readonly httpKeysOfNameId: (Map<string, number> | undefined)[] = [];
  /** Route → method → key. */
  private readonly httpKeysOfRoute = new Map<string, Map<string, number>>();

  constructor(private readonly strings: StringTable) {
    this.slots = new SlotReader(strings, new Int16Array(strings.size).fill(-2));
    this.nameOfNameId = new Int32Array(strings.size).fill(-1);
  }

  /** The route a span name holds ("/a/{id}" of "GET /a/{id}"), '' when it is not a path. */
  pathInName(nameId: number): string {
    let path = this.pathOfNameId[nameId];
    if (path === undefined) this.pathOfNameId[nameId] = path = pathInName(this.strings.get(nameId));
    return path;
  }

  /** Whether a span name is an HTTP span's operation label when there is no route (not a path, not just "GET"). */
  namesOperation(nameId: number): boolean {
    let own = this.ownNameOfNameId[nameId];
    if (own === undefined) {
      const name = this.strings.get(nameId);
      this.ownNameOfNameId[nameId] = own = !namesOnlyHttp(name) && pathInName(name) === '';
    }
    return own;
  }

  /** The HTTP method a span name starts with ('' if none). */
  methodInName(nameId: number): string {
    let method = this.methodOfNameId[nameId];
    if (method === undefined) this.methodOfNameId[nameId] = method = methodInName(this.strings.get(nameId));
    return method;
  }

  /** The key of httpLabel's operation label for a span with this route and method. */
  httpByRoute(route: string, method: string, names: NameIds): number {
    let keys = this.httpKeysOfRoute.get(route);
    if (!keys) this.httpKeysOfRoute.set(route, (keys = new Map()));
    let key = keys.get(method);
    if (key === undefined) keys.set(method, (key = names.intern(join(method, route))));
    return key;
  }

  /** The key of httpLabel's operation label for a span of this name whose method attribute is `method` ('' if none). */
  httpByName(nameId: number, method: string, names: NameIds): number {
    let keys = this.httpKeysOfNameId[nameId];
    if (!keys) this.httpKeysOfNameId[nameId] = keys = new Map();
    let key = keys.get(method);
    if (key === undefined) {
      key = names.intern(join(method || methodInName(this.strings.get(nameId)), this.pathInName(nameId)));
      keys.set(method, key);
    }
    return key;
  }
}

/** OperationKeys of one model (several: share one OperationKeys). */
export function operationKeys(model: TraceModel, names: NameIds): SpanOperationKeys {
  return new OperationKeys(names).of(model);
}

function internLabels(model: TraceModel, withStatus: boolean): SpanLabels {
  const { strings } = model.stores;
  const slots = new SlotReader(strings, new Int16Array(strings.size).fill(-2));
  // Spans without any label key are labelled by their name: intern those by name id, without hashing.
  const labelIdOfNameId = new Int32Array(strings.size).fill(-1);
  const labelId = new Uint32Array(model.spanCount);
  const labels: string[] = [];
  const idOfLabel = new Map<string, number>();
  // Labels with an id or a path per span never repeat: when nearly all of the first ones are new, stop
  // looking them up (a map of a million labels costs more than it saves).
  let interning = true;
  let lookups = 0;
  const intern = (label: string): number => {
    let id = interning ? idOfLabel.get(label) : undefined;
    if (id === undefined) {
      id = labels.length;
      labels.push(label);
      if (interning) idOfLabel.set(label, id);
    }
    if (interning && ++lookups === INTERN_PROBE && idOfLabel.size > INTERN_PROBE * 0.9) {
      interning = false;
      idOfLabel.clear();
    }
    return id;
  };
  for (let i = 0; i < model.spanCount; i++) {
    slots.read(model, i);
    if (slots.roles === 0) {
      const nameId = model.nameId[i];
      if (labelIdOfNameId[nameId] < 0) labelIdOfNameId[nameId] = intern(strings.get(nameId));
      labelId[i] = labelIdOfNameId[nameId];
    } else {
      labelId[i] = intern(labelFromSlots(model, i, slots, withStatus));
    }
  }
  return { labelId, labels };
}

function labelFromSlots(model: TraceModel, i: number, v: SlotReader, withStatus: boolean): string {
  // Most specific first: messaging and databases often travel over rpc or http too (SQS, DynamoDB).
  const roles = v.roles;
  return (
    ((roles & MESSAGING_ROLES) !== 0 && messagingLabel(v, model.kind[i])) ||
    ((roles & DB_ROLES) !== 0 && dbLabel(v)) ||
    ((roles & RPC_ROLES) !== 0 && rpcLabel(v, model, i, withStatus)) ||
    ((roles & HTTP_ROLES) !== 0 && httpLabel(v, spanName(model, i), withStatus)) ||
    v.pick(ROLE.ddResource) ||
    spanName(model, i)
  );
}

function messagingLabel(v: SlotReader, kind: number): string {
  const system = v.pick(ROLE.msgSystem);
  const destination = v.pick(ROLE.msgDestination);
  if (!system && !destination) return '';
  let operation = v.pick(ROLE.msgOperation);
  if (!operation && kind === KIND_PRODUCER) operation = 'publish';
  if (!operation && kind === KIND_CONSUMER) operation = 'receive';
  return join(system, operation, destination);
}

function dbLabel(v: SlotReader): string {
  const jdbc = JDBC_URL.exec(v.pick(ROLE.dbConnection));
  const system = v.pick(ROLE.dbSystem) || (jdbc ? jdbc[1].toLowerCase() : '');
  const operation = v.pick(ROLE.dbOperation);
  const table = v.pick(ROLE.dbTable);
  if (operation || table) return join(system, operation, table);
  // Datadog keeps the query in resource.name; use it only when the span is known to be a db call.
  const statement = v.pick(ROLE.dbStatement) || (system ? v.pick(ROLE.ddResource) : '');
  return statement ? join(system, shorten(statement)) : '';
}

function rpcLabel(v: SlotReader, model: TraceModel, i: number, withStatus: boolean): string {
  const system = v.pick(ROLE.rpcSystem);
  const service = v.pick(ROLE.rpcService);
  const method = v.pick(ROLE.rpcMethod);
  if (!system && !service && !method) return '';
  // Newer conventions put the full "package.Service/Method" in rpc.method.
  const call = !service || method.includes('/') ? method : method ? `${service}/${method}` : service;
  return join(system, call || spanName(model, i), withStatus ? rpcStatus(v) : '');
}

function rpcStatus(v: SlotReader): string {
  const grpc = v.pick(ROLE.rpcGrpcStatus);
  if (grpc) {
    const code = Number(grpc);
    return Number.isInteger(code) && code >= 0 && code < GRPC_CODES.length ? GRPC_CODES[code] : grpc;
  }
  return v.pick(ROLE.rpcStatus);
}

function httpLabel(v: SlotReader, name: string, withStatus: boolean): string {
  // Without http.route, a span name that is a path is the instrumentation's route ("/users/{id}",
  // "GET /users/:id"): fewer distinct labels than the request's own path. The request's own path makes a
  // label per request, so it stands in only for a name that says no more than the method; a name of
  // its own ("checkout.validate") is the operation, as Jaeger and Tempo show it.
  const route = v.pick(ROLE.httpRoute) || pathInName(name);
  const status = withStatus ? v.pick(ROLE.httpStatus) : '';
  if (!route && !namesOnlyHttp(name)) {
    // Datadog keeps the endpoint in resource.name ("GET /users/{id}") beside a name of the integration's
    // ("servlet.request"); otherwise the span name is the label.
    const resource = v.pick(ROLE.ddResource);
    return resource && status ? `${resource} → ${status}` : resource;
  }
  const path = route || stripQuery(v.pick(ROLE.httpPath)) || urlPath(v.pick(ROLE.httpUrl));
  // Zipkin instrumentations often keep the method only in the span name ("get /oauth/authorize").
  const method = v.pick(ROLE.httpMethod) || (path ? methodInName(name) : '');
  if (!method && !path) return '';
  const request = join(method, path);
  return status ? `${request} → ${status}` : request;
}

/** "/a/{id}" or "GET /a/{id}" → "/a/{id}"; '' for a name that is not a path. */
function pathInName(name: string): string {
  const space = name.indexOf(' ');
  const path = space >= 0 && methodInName(name) ? name.slice(space + 1) : name;
  return path.startsWith('/') && !/\s/.test(path) ? stripQuery(path) : '';
}

/**
 * "", "GET", "get /x", "HTTP GET", "http.request", Envoy's "ingress" and "egress", or a URL
 * ("reviews.default.svc:9080/reviews/0", as Istio's Envoy names spans): a span name that says it is an
 * HTTP call, which way or where to, and no more.
 */
function namesOnlyHttp(name: string): boolean {
  return name === '' || methodInName(name) !== '' || HTTP_WORD.test(name) || URL_NAME.test(name);
}

function methodInName(name: string): string {
  const space = name.indexOf(' ');
  const word = (space < 0 ? name : name.slice(0, space)).toUpperCase();
  return HTTP_METHODS.has(word) ? word : '';
}

/** text.trim(), without the call when both ends are visible ASCII (nearly every value; a few per span). */
function trimmed(text: string): string {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f ? text : text.trim();
}

function join(...parts: readonly string[]): string {
  let out = '';
  for (const p of parts) if (p) out = out ? `${out} ${p}` : p;
  return out;
}

/** The first words of a statement on one line, cut at a word boundary near MAX_STATEMENT_CHARS. */
function shorten(statement: string): string {
  const line = statement.replace(WHITESPACE_RUN, ' ').trim();
  if (line.length <= MAX_STATEMENT_CHARS) return line;
  const space = line.lastIndexOf(' ', MAX_STATEMENT_CHARS);
  return `${line.slice(0, space > MAX_STATEMENT_CHARS / 2 ? space : MAX_STATEMENT_CHARS)}…`;
}

function stripQuery(path: string): string {
  const q = path.indexOf('?');
  const h = path.indexOf('#');
  const end = q < 0 ? h : h < 0 ? q : Math.min(q, h);
  return end < 0 ? path : path.slice(0, end);
}

/** "http://host:8080/a/b?x=1" → "/a/b"; also for "host:8080/a/b" (seen in real files) and "/a/b". */
export function urlPath(url: string): string {
  if (!url) return '';
  const scheme = url.indexOf('://');
  const slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
  if (slash < 0) return scheme < 0 ? '' : '/';
  return stripQuery(url.slice(slash));
}
