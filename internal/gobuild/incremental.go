package gobuild

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/go-ddt/ddt/instrument"
)

// Instrumenting only the packages whose files changed.
//
// When the last clean run's state does not match the files (an edit), ddt
// would load the module with types again: two or three go list runs, more
// than go build costs after a one-file edit. The state also describes the
// marked packages as that run loaded them (their files, imports and the
// imports' export data, the main module's packages they depend on), and
// the header of every .go file in their directories (up to the package
// clause: build constraints and package name). When every changed file is
// in the directory of a marked package that no marked package depends on,
// with the same header, and no file was added or removed, only those
// packages are instrumented again (instrument.RunPackages), and the other
// copies in the overlay are kept. A marked package that other marked
// packages depend on is handled the same way when its API (package-level
// declarations and their types, fingerprinted by instrument) is what it
// was: an edit inside function bodies, the usual one, changes nothing its
// importers see. A changed file anywhere else that is not a candidate (no
// directive, no ddt import, not the name of a call-site rule's function)
// changes nothing: no marked package depends on it. Call-site rules (the
// run's, kept in the state) are applied again to the changed packages, the
// packages of their calls being marked packages too; a changed file that
// holds a //ddt:calls comment reloads, as a rule may have changed. Anything
// else, including a file of an unmarked package a marked package imports,
// goes through the whole load.

// markedPackage is a marked package in the state of a run.
type markedPackage struct {
	instrument.LoadedPackage
	// Headers holds the hash of the header of every .go file in the
	// package's directory, by path.
	Headers map[string]string `json:"headers"`
}

// incrementalRuns counts the runs that instrumented only changed
// packages, for tests.
var incrementalRuns atomic.Int64

// markedPackages describes the packages of a run's result for its state;
// nil when the result has no such description (tests loaded).
func markedPackages(res *instrument.Result) []markedPackage {
	if res.Packages == nil {
		return nil
	}
	mps := make([]markedPackage, 0, len(res.Packages))
	for _, lp := range res.Packages {
		if len(lp.GoFiles) == 0 {
			return nil
		}
		mps = append(mps, markedPackage{LoadedPackage: lp, Headers: packageHeaders(filepath.Dir(lp.GoFiles[0]))})
	}
	return mps
}

// packageHeaders hashes the header of every .go file in dir.
func packageHeaders(dir string) map[string]string {
	headers := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return headers
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if src, err := os.ReadFile(path); err == nil {
			headers[path] = fileHeader(src)
		}
	}
	return headers
}

// fileHeader hashes what decides whether a file belongs to a build and to
// which package: everything up to the package clause's name. A file whose
// package clause does not parse is hashed whole.
func fileHeader(src []byte) string {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly|parser.ParseComments)
	if err != nil || f.Name == nil {
		return "whole:" + hashBytes(src)
	}
	end := int(f.Name.End()) - int(f.FileStart)
	if end < 0 || end > len(src) {
		return "whole:" + hashBytes(src)
	}
	return hashBytes(src[:end])
}

// instrumentChanged instruments again only the marked packages whose files
// changed since the last run's state, if that is enough (see above), and
// returns the overlay JSON's path; ok is false when the whole load is
// needed. stamps are the files now, racy ones hashed.
func instrumentChanged(opts *Options, root, key string, stamps map[string]fileStamp, ge goEnvironment, loadFlags []string) (overlay string, ok bool) {
	st := loadState(root)
	if st == nil || st.Key != key || st.Packages == nil || len(st.Warnings) > 0 || len(st.Files) != len(stamps) {
		return "", false
	}
	replace, intact := intactOverlay(st)
	if !intact {
		return "", false
	}
	marked := map[string]*markedPackage{}
	depDirs := map[string]bool{}
	for i := range st.Packages {
		mp := &st.Packages[i]
		marked[filepath.Dir(mp.GoFiles[0])] = mp
		for _, d := range mp.DepDirs {
			depDirs[d] = true
		}
	}
	ruleFiles := map[string]bool{}
	for _, r := range st.Rules {
		path := filepath.FromSlash(r.Pos.Filename) // relative to root when inside it
		if !filepath.IsAbs(path) {
			path = filepath.Join(root, path)
		}
		ruleFiles[path] = true
	}
	dirty := map[string]bool{}
	for path, now := range stamps {
		saved, found := st.Files[path]
		if !found {
			return "", false // a new file
		}
		if sameStamp(path, now, saved) {
			continue
		}
		rel, err := filepath.Rel(root, path)
		if err != nil || !filepath.IsLocal(rel) || !strings.HasSuffix(path, ".go") ||
			strings.HasPrefix(filepath.ToSlash(rel), "vendor/") {
			return "", false
		}
		dir := filepath.Dir(path)
		if depDirs[dir] && marked[dir] == nil {
			return "", false
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return "", false
		}
		if instrument.HasCallRules(src) || ruleFiles[path] {
			return "", false // a call-site rule may have changed, or gone
		}
		if mp := marked[dir]; mp != nil {
			if h, found := mp.Headers[path]; !found || h != fileHeader(src) {
				return "", false
			}
			dirty[dir] = true
			continue
		}
		if instrument.IsCandidate(src) || instrument.MayCall(st.Rules, src) {
			return "", false // a directive, or a call a rule wraps, where there was none
		}
	}

	forgetState(root)
	if len(dirty) > 0 {
		var again []instrument.LoadedPackage
		for _, mp := range st.Packages {
			if dirty[filepath.Dir(mp.GoFiles[0])] {
				again = append(again, mp.LoadedPackage)
			}
		}
		res, err := instrument.RunPackages(instrument.Config{Dir: root, BuildFlags: loadFlags, Env: opts.Env, Mode: instrument.Overlay, CallRules: st.Rules}, again, ge["GOARCH"])
		if err != nil || len(res.Diagnostics)+len(res.Warnings)+len(res.Uninstrumented) > 0 {
			return "", false // the whole load says what is wrong
		}
		// A marked package that other marked packages depend on kept its
		// API (declarations and types, not bodies): they type-check and
		// instrument as before, with the export data they had. Otherwise
		// they must be loaded again.
		for _, lp := range res.Packages {
			dir := filepath.Dir(lp.GoFiles[0])
			if depDirs[dir] && (lp.API == "" || lp.API != marked[dir].API) {
				return "", false
			}
		}
		files := res.Files
		for orig, copyPath := range replace {
			if dirty[filepath.Dir(orig)] {
				continue
			}
			data, err := os.ReadFile(copyPath)
			if err != nil {
				return "", false
			}
			files = append(files, &instrument.File{Path: orig, Output: data})
		}
		slices.SortFunc(files, func(a, b *instrument.File) int { return strings.Compare(a.Path, b.Path) })
		if st.Overlay, err = WriteOverlay(root, files); err != nil {
			return "", false
		}
	}
	saveState(root, runState{Key: key, Files: stamps, Overlay: st.Overlay, Packages: st.Packages, Rules: st.Rules})
	instrumentRuns.Add(1)
	incrementalRuns.Add(1)
	return st.Overlay, true
}
