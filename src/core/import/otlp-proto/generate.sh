#!/bin/sh
# Regenerates the *_pb.ts files beside this script from the .proto files (see README.md).
# The generators run through npx, pinned, so they are not project dependencies.
set -eu
cd "$(dirname "$0")"
npx --yes @bufbuild/buf@1.75.0 generate . --template '{
  "version": "v2",
  "plugins": [{
    "local": ["npx", "--yes", "@bufbuild/protoc-gen-es@2.13.0"],
    "out": ".",
    "opt": ["target=ts", "import_extension=ts"]
  }]
}'
# The project lints with reportUnusedDisableDirectives; the generated code needs no exemption.
sed -i '/^\/\* eslint-disable \*\/$/d' ./*_pb.ts
