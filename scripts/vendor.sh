#!/usr/bin/env bash
# Copy the front-end files the pages use from node_modules (pinned by package-lock.json) into
# static/vendor/, so staticfiles serves and fingerprints only what is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=static/vendor
rm -rf "$out"
mkdir -p "$out/bootstrap/css" "$out/bootstrap/js" "$out/bootstrap-icons/fonts" "$out/htmx" "$out/echarts" "$out/quill"
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map "$out/bootstrap/css/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map "$out/bootstrap/js/"
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css "$out/bootstrap-icons/"
cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff "$out/bootstrap-icons/fonts/"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
cp node_modules/echarts/dist/echarts.min.js "$out/echarts/"
cp node_modules/quill/dist/quill.js node_modules/quill/dist/quill.js.map node_modules/quill/dist/quill.snow.css node_modules/quill/dist/quill.snow.css.map node_modules/quill/dist/quill.js.LICENSE.txt "$out/quill/"
