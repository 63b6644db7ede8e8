package main

import _ "embed"

// openAPISpec is docs/openapi.yaml, served at /openapi.yaml.
//
//go:embed openapi.yaml
var openAPISpec []byte
