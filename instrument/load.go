package instrument

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// A file is a candidate when its bytes contain a directive or the import of
// the runtime (in-place instrumentation that may need refreshing or
// stripping). Only candidates are ever parsed for rewriting.
var (
	directiveBytes = []byte(directivePrefix)
	runtimeBytes   = []byte(`"` + runtimePath + `"`)
)

func isCandidate(src []byte) bool { return IsCandidate(src) }

// IsCandidate reports whether Run would look into a file with content
// src: it has a directive or imports ddt's runtime.
func IsCandidate(src []byte) bool {
	return bytes.Contains(src, directiveBytes) || bytes.Contains(src, runtimeBytes)
}

// listing is the cheap first pass over the patterns: file lists only, no
// parsing or type checking.
type listing struct {
	pkgs       []*packages.Package
	moduleRoot string
	candidates map[string][]byte // absolute path -> content, for candidate files
	files      []string          // every .go file listed, sorted
}

func (cfg *Config) packagesConfig(mode packages.LoadMode) *packages.Config {
	return &packages.Config{
		Mode:       mode,
		Dir:        cfg.Dir,
		Env:        cfg.Env,
		BuildFlags: cfg.BuildFlags,
		Tests:      cfg.Tests,
	}
}

func (cfg *Config) patterns() []string {
	if len(cfg.Patterns) == 0 {
		return []string{"./..."}
	}
	return cfg.Patterns
}

// list runs the first pass and reads the files to find the candidates.
// withIgnored adds the files that build constraints exclude (strip needs
// no build configuration).
func list(cfg *Config, withIgnored bool) (*listing, error) {
	pkgs, err := packages.Load(cfg.packagesConfig(packages.NeedName|packages.NeedFiles|packages.NeedModule), cfg.patterns()...)
	if err != nil {
		return nil, err
	}
	if err := unmatched(pkgs); err != nil {
		return nil, err
	}
	l := &listing{pkgs: pkgs, candidates: map[string][]byte{}}
	seen := map[string]bool{}
	var files []string
	for _, p := range pkgs {
		if l.moduleRoot == "" && p.Module != nil && p.Module.Main {
			l.moduleRoot = p.Module.Dir
		}
		if p.Module != nil && !p.Module.Main {
			// A dependency (a pattern such as "all"): its files live in
			// the module cache, which is not the user's to rewrite.
			continue
		}
		all := p.GoFiles
		if withIgnored {
			all = append(append([]string(nil), p.GoFiles...), p.IgnoredFiles...)
		}
		for _, f := range all {
			if strings.HasSuffix(f, ".go") && !seen[f] {
				seen[f] = true
				files = append(files, f)
			}
		}
	}
	if l.moduleRoot == "" {
		l.moduleRoot = goModRoot(cfg)
	}
	sort.Strings(files)
	l.files = files

	// Reading is I/O bound; a few readers at once hide the latency.
	var mu sync.Mutex
	var firstErr error
	work := make(chan string)
	var wg sync.WaitGroup
	for range max(4, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				src, err := os.ReadFile(f)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				} else if err == nil && isCandidate(src) {
					l.candidates[f] = src
				}
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return l, nil
}

// unmatched returns an error for the patterns that name nothing: a
// directory that does not exist, a package that cannot be found, a
// wildcard that matches no package. The go command would fail on them too;
// instrumenting the rest in silence would hide the typo.
func unmatched(pkgs []*packages.Package) error {
	var msgs []string
	for _, p := range pkgs {
		if len(p.GoFiles)+len(p.IgnoredFiles)+len(p.OtherFiles) > 0 {
			continue
		}
		for _, e := range p.Errors {
			if e.Kind != packages.ListError || strings.Contains(e.Msg, "no non-test Go files") ||
				strings.Contains(e.Msg, "build constraints exclude") {
				continue
			}
			msgs = append(msgs, e.Msg)
		}
	}
	if len(msgs) > 0 {
		return errors.New(strings.Join(msgs, "\n"))
	}
	return nil
}

// goModRoot asks the go command for the main module's root when no listed
// package names it.
func goModRoot(cfg *Config) string {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedModule | packages.NeedName, Dir: cfg.Dir, Env: cfg.Env}, ".")
	if err == nil {
		for _, p := range pkgs {
			if p.Module != nil {
				return p.Module.Dir
			}
		}
	}
	dir := cfg.Dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	return dir
}

// typedLoad is what the second pass found: the candidate packages by ID,
// with their imports' export data.
type typedLoad struct {
	byID map[string]*packages.Package
	// deps holds, for each candidate package loaded in two steps (the
	// only ones [RunPackages] can instrument again), the directories of
	// the main module's packages it depends on, directly or not. It is
	// nil after the one-step load.
	deps map[string][]string
}

// loadTypes runs the second pass on the packages holding candidates: the
// package graph with the export data of every dependency (the go command
// builds it, or finds it in its cache). The candidate packages themselves
// are parsed and type-checked from their (stripped) sources by check, and
// only their direct imports are read from export data, lazily: loading
// types for the whole graph would cost far more.
func loadTypes(cfg *Config, pkgPaths []string) (*typedLoad, error) {
	// With tests, an import is often a test variant (a package that
	// imports the package under test), which only the one-step load can
	// name; trying the two steps first would mostly add a go list.
	if !cfg.Tests {
		if tl, ok, err := loadTypesOfImports(cfg, pkgPaths); err != nil || ok {
			return tl, err
		}
	}
	mode := packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps |
		packages.NeedExportFile | packages.NeedModule | packages.NeedTypesSizes
	pkgs, err := packages.Load(cfg.packagesConfig(mode), pkgPaths...)
	if err != nil {
		return nil, fmt.Errorf("loading packages: %v", err)
	}
	byID := map[string]*packages.Package{}
	for _, p := range pkgs {
		byID[p.ID] = p
	}
	return &typedLoad{byID: byID}, nil
}

// loadTypesOfImports is loadTypes in two steps, so that the go command
// builds export data for the candidate packages' imports but not for the
// candidate packages themselves, which check type-checks from source
// anyway: the go command lists them (no build), then builds its imports.
// After an edit to a package with marked functions, that package is then
// compiled once, by the build with the overlay, instead of twice. ok is
// false when an import cannot be named on the go command's line (a test
// variant, "p [q.test]"); loadTypes then loads in one step.
func loadTypesOfImports(cfg *Config, pkgPaths []string) (tl *typedLoad, ok bool, err error) {
	// NeedDeps costs no more go list: NeedImports lists the dependencies
	// already; it links them, for mainDepDirs.
	roots, err := packages.Load(cfg.packagesConfig(packages.NeedName|packages.NeedFiles|packages.NeedImports|packages.NeedDeps|packages.NeedModule|packages.NeedTypesSizes), pkgPaths...)
	if err != nil {
		return nil, false, fmt.Errorf("loading packages: %v", err)
	}
	var importIDs []string
	seen := map[string]bool{}
	for _, p := range roots {
		for _, imp := range p.Imports {
			if imp.ID == "unsafe" || imp.ID == "C" || seen[imp.ID] {
				continue
			}
			if strings.ContainsAny(imp.ID, " [") {
				return nil, false, nil
			}
			seen[imp.ID] = true
			importIDs = append(importIDs, imp.ID)
		}
	}
	sort.Strings(importIDs)
	deps := map[string]*packages.Package{}
	if len(importIDs) > 0 {
		loaded, err := packages.Load(cfg.packagesConfig(packages.NeedName|packages.NeedExportFile|packages.NeedModule), importIDs...)
		if err != nil {
			return nil, false, fmt.Errorf("loading packages: %v", err)
		}
		for _, d := range loaded {
			deps[d.ID] = d
		}
	}
	tl = &typedLoad{byID: map[string]*packages.Package{}, deps: map[string][]string{}}
	for _, p := range roots {
		tl.deps[p.ID] = mainDepDirs(p)
		for path, imp := range p.Imports {
			if d := deps[imp.ID]; d != nil {
				p.Imports[path] = d
			}
		}
		tl.byID[p.ID] = p
	}
	return tl, true, nil
}

// mainDepDirs returns the directories of the packages of main modules
// (the main module, the modules of a workspace) and of replaced modules
// (which may be local directories) that p imports, directly or not,
// sorted. p's own is not among them.
func mainDepDirs(p *packages.Package) []string {
	seen := map[*packages.Package]bool{}
	dirs := map[string]bool{}
	var walk func(q *packages.Package)
	walk = func(q *packages.Package) {
		for _, imp := range q.Imports {
			if seen[imp] {
				continue
			}
			seen[imp] = true
			if imp.Module != nil && (imp.Module.Main || imp.Module.Replace != nil) {
				for _, f := range append(imp.GoFiles, imp.OtherFiles...) {
					dirs[filepath.Dir(f)] = true
				}
			}
			walk(imp)
		}
	}
	walk(p)
	sorted := make([]string, 0, len(dirs))
	for d := range dirs {
		sorted = append(sorted, d)
	}
	sort.Strings(sorted)
	return sorted
}

// exportImporter reads packages from export data, sharing one package map
// so that every candidate package sees the same *types.Package for an
// import.
type exportImporter struct {
	fset     *token.FileSet
	packages map[string]*types.Package // by package path
}

func newExportImporter() *exportImporter {
	return &exportImporter{fset: token.NewFileSet(), packages: map[string]*types.Package{}}
}

// importerFor resolves the imports of p.
func (ei *exportImporter) importerFor(p *packages.Package) types.Importer {
	return importerFunc(func(path string) (*types.Package, error) {
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		imp := p.Imports[path]
		if imp == nil {
			return nil, fmt.Errorf("not among the package's imports")
		}
		if tp := ei.packages[imp.PkgPath]; tp != nil && tp.Complete() {
			return tp, nil
		}
		if imp.ExportFile == "" {
			return nil, fmt.Errorf("no export data: %v", imp.Errors)
		}
		f, err := os.Open(imp.ExportFile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r, err := gcexportdata.NewReader(bufio.NewReader(f))
		if err != nil {
			return nil, fmt.Errorf("reading export data of %s: %v", path, err)
		}
		return gcexportdata.Read(r, ei.fset, ei.packages, imp.PkgPath)
	})
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
