#!/usr/bin/env bash
# Regenerates src/schema_generated.rs from schema.fbs (TensorFlow Lite's schema, Apache-2.0) with
# planus (`cargo install planus-cli --version 1.3.0`), then drops the serde derives planus writes on
# every type (this crate reads files; it does not serialise them with serde).
set -euo pipefail
cd "$(dirname "$0")"
planus rust -o src/schema_generated.rs schema.fbs
sed -i -e '/^ *::serde::Serialize,$/d' -e '/^ *::serde::Deserialize,$/d' \
    -e 's/, ::serde::Serialize, ::serde::Deserialize//' src/schema_generated.rs
