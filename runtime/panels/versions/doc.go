// Package versions is the toolbar's Versions panel: the Go version the
// program was built with, its main module, build settings and every
// dependency, from the build information in the binary.
package versions
