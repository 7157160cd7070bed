"""Sends one trace to an OTLP/gRPC receiver the way a Python service would, on another gRPC stack than
Spanscope's: grpcio with the official opentelemetry-proto package's generated TraceService stub.

Two gzip-compressed Export requests, one per service: the root span of `frontend`, then the child span
of `inventory` (parent across services). Attributes of every scalar type and arrays. The ids come from
the arguments so the caller can check them exactly; prints each ExportTraceServiceResponse as JSON.

Usage: send_otlp_grpc.py HOST:PORT TRACE_ID_HEX ROOT_SPAN_ID_HEX CHILD_SPAN_ID_HEX START_UNIX_NANO
"""
import json
import sys

import grpc
from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, ArrayValue, InstrumentationScope, KeyValue
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span, Status


def value(v):
    """A Python value as an OTLP AnyValue (bool before int: True is an int in Python)."""
    if isinstance(v, bool):
        return AnyValue(bool_value=v)
    if isinstance(v, int):
        return AnyValue(int_value=v)
    if isinstance(v, float):
        return AnyValue(double_value=v)
    if isinstance(v, list):
        return AnyValue(array_value=ArrayValue(values=[value(item) for item in v]))
    return AnyValue(string_value=v)


def attributes(values):
    return [KeyValue(key=key, value=value(v)) for key, v in values.items()]


def request_of(service, span):
    resource = Resource(attributes=attributes({"service.name": service, "telemetry.sdk.language": "python"}))
    scope = InstrumentationScope(name="spanscope-grpc-test", version="1.0.0")
    return trace_service_pb2.ExportTraceServiceRequest(
        resource_spans=[ResourceSpans(resource=resource, scope_spans=[ScopeSpans(scope=scope, spans=[span])])]
    )


def main():
    target, trace_id, root_id, child_id, start = sys.argv[1:6]
    start = int(start)
    root = Span(
        trace_id=bytes.fromhex(trace_id),
        span_id=bytes.fromhex(root_id),
        name="GET /products/{id}",
        kind=Span.SPAN_KIND_SERVER,
        start_time_unix_nano=start,
        end_time_unix_nano=start + 5_000_000,
        attributes=attributes(
            {
                "http.response.status_code": 200,
                "product.id": 9007199254740993,  # 2^53 + 1: exact only if never a JS number
                "cache.hit_ratio": 0.75,
                "user.authenticated": True,
                "feature.flags": ["new-cart", "dark-mode"],
                "retry.delays_ms": [10, 20, 40],
            }
        ),
    )
    child = Span(
        trace_id=bytes.fromhex(trace_id),
        span_id=bytes.fromhex(child_id),
        parent_span_id=bytes.fromhex(root_id),
        name="SELECT stock",
        kind=Span.SPAN_KIND_CLIENT,
        start_time_unix_nano=start + 1_000_000,
        end_time_unix_nano=start + 3_500_000,
        attributes=attributes({"db.rows": 3, "db.cost": 1.5, "db.cached": False, "db.shards": [1.5, 2.25]}),
        status=Status(code=Status.STATUS_CODE_ERROR, message="stock table locked"),
    )
    with grpc.insecure_channel(target) as channel:
        stub = trace_service_pb2_grpc.TraceServiceStub(channel)
        for service, span in (("frontend", root), ("inventory", child)):
            response = stub.Export(request_of(service, span), compression=grpc.Compression.Gzip, timeout=10)
            print(json.dumps({"service": service, "response": MessageToDict(response)}))


if __name__ == "__main__":
    main()
