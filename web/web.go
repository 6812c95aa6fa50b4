// Package web holds the server-rendered pages' templates and static assets, embedded in the binary.
package web

import "embed"

// Templates holds the html/template files under templates/.
//
//go:embed templates
var Templates embed.FS

// Static holds the stylesheet and other assets served under /static/.
//
//go:embed static
var Static embed.FS
