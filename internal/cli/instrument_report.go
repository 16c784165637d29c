package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"

	"github.com/go-ddt/ddt/instrument"
	"github.com/rogpeppe/go-internal/diff"
)

// instrumentReport is what "ddt instrument" found, in the shape --json
// prints. Paths are relative to the module root, like diagnostics.
type instrumentReport struct {
	ModuleRoot  string           `json:"moduleRoot"`
	Mode        string           `json:"mode"` // "overlay", "in-place" or "strip"
	Files       []reportFile     `json:"files"`
	Diagnostics []reportDiagnose `json:"diagnostics"`
	Warnings    []reportDiagnose `json:"warnings"`          // packages left uninstrumented, and why
	Overlay     string           `json:"overlay,omitempty"` // overlay JSON, in overlay mode
	Command     []string         `json:"command,omitempty"` // the go command to use the overlay
	Written     bool             `json:"written"`           // whether files were rewritten in place

	files []*instrument.File // sorted by path, for the text reports
}

type reportFile struct {
	Path    string `json:"path"`
	Sites   int    `json:"sites"`           // marked functions in the file
	Calls   int    `json:"calls,omitempty"` // call sites that //ddt:calls rules wrap
	Changed bool   `json:"changed"`         // whether the output differs from the file on disk
}

type reportDiagnose struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

func newInstrumentReport(res *instrument.Result, mode instrument.Mode) *instrumentReport {
	r := &instrumentReport{
		ModuleRoot:  res.ModuleRoot,
		Mode:        modeName(mode),
		Files:       []reportFile{},
		Diagnostics: reportDiagnostics(res.Diagnostics),
		Warnings:    reportDiagnostics(res.Warnings),
		files:       append([]*instrument.File(nil), res.Files...),
	}
	sort.Slice(r.files, func(i, j int) bool { return r.files[i].Path < r.files[j].Path })
	for _, f := range r.files {
		r.Files = append(r.Files, reportFile{Path: r.rel(f.Path), Sites: f.Sites, Calls: len(f.Calls), Changed: f.Changed()})
	}
	return r
}

func reportDiagnostics(diags []instrument.Diagnostic) []reportDiagnose {
	out := []reportDiagnose{}
	for _, d := range diags {
		out = append(out, reportDiagnose{File: d.Pos.Filename, Line: d.Pos.Line, Col: d.Pos.Column, Message: d.Message})
	}
	return out
}

func modeName(m instrument.Mode) string {
	switch m {
	case instrument.InPlace:
		return "in-place"
	case instrument.Strip:
		return "strip"
	}
	return "overlay"
}

// rel returns path relative to the module root, slash-separated, or path
// itself when it lies outside.
func (r *instrumentReport) rel(path string) string {
	rel, err := filepath.Rel(r.ModuleRoot, path)
	if err != nil || !filepath.IsLocal(rel) {
		return path
	}
	return filepath.ToSlash(rel)
}

// printJSON writes the report to w and returns ret, the command's outcome.
func (r *instrumentReport) printJSON(w io.Writer, ret error) error {
	data, err := json.MarshalIndent(r, "", "\t")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if _, err := w.Write(data); err != nil {
		return err
	}
	return ret
}

// printChecks answers -d, -l and --check, which compare the files on disk
// with the in-place (or stripped) output and write nothing.
func (r *instrumentReport) printChecks(opts *InstrumentOptions) error {
	if opts.JSON {
		return r.printJSON(opts.IO.Out, r.checkResult(opts))
	}
	var out bytes.Buffer
	for _, f := range r.files {
		if !f.Changed() {
			continue
		}
		path := r.rel(f.Path)
		switch {
		case opts.Diff:
			out.Write(diff.Diff("a/"+path, f.Original, "b/"+path, f.Output))
		case opts.List:
			fmt.Fprintln(&out, path)
		case opts.Check:
			fmt.Fprintf(&out, "%s: %s\n", path, staleness(f, opts.Strip))
		}
	}
	if _, err := opts.IO.Out.Write(out.Bytes()); err != nil {
		return err
	}
	return r.checkResult(opts)
}

// checkResult is --check's verdict: an ExitError when a file would change.
func (r *instrumentReport) checkResult(opts *InstrumentOptions) error {
	if !opts.Check {
		return nil
	}
	n := len(changedFiles(r.files))
	if n == 0 {
		return nil
	}
	fix := "ddt instrument -w"
	if opts.Strip {
		fix = "ddt instrument --strip"
	}
	return &ExitError{Code: 1, Err: fmt.Errorf("%s not up to date; run %s", plural(n, "file"), fix)}
}

// runtimeImport is the import path every instrumented file carries.
const runtimeImport = "github.com/go-ddt/ddt/runtime/ddtrt"

// staleness says why a file fails --check.
func staleness(f *instrument.File, strip bool) string {
	switch {
	case strip:
		return "instrumentation present"
	case bytes.Contains(f.Original, []byte(`"`+runtimeImport+`"`)):
		return "instrumentation stale"
	}
	return "instrumentation missing"
}
