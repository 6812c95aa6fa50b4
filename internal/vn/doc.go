// Package vn provides Vietnamese text handling: search folding, name collation, number and date formats, and legacy encodings.
package vn
