// Package data embeds grunnlag's curated knowledge pack: the SSB tables to
// keep in sync and the knowledge basis of KS's appendix E. The files are
// meant to be read and reviewed as text; the binary carries a copy so it
// works from any directory.
package data

import "embed"

// FS holds the pack's files: the YAML and the register CSV files the YAML
// names. catalog.LoadDirs(catalog.Dir{FS: data.FS, Path: ".", Name: "data"})
// loads it.
//
//go:embed *.yaml *.csv
var FS embed.FS
