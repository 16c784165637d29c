package instrument

import (
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"sort"

	"golang.org/x/tools/go/packages"
)

// Instrumenting packages again, without the go command.
//
// A build tool that runs Run before every build can keep Result.Packages
// and, after an edit that only touched the files of some of those packages,
// instrument just them again with RunPackages: their files are read as they
// are now, their imports from the export data the earlier Run found. That
// costs no go list (~0.1 to 0.2 s each on a large module), so a rebuild
// after a one-file edit costs about what go build costs.

// LoadedPackage is one package with candidate files as Run loaded it.
type LoadedPackage struct {
	ID      string
	PkgPath string
	Name    string
	GoFiles []string                // absolute paths
	Imports map[string]LoadedImport // by import path
	Module  *packages.Module        `json:",omitempty"`
	// DepDirs are the directories of the main modules' packages that it
	// depends on, directly or not (its own is not among them): a change
	// there can change the export data of its imports, so RunPackages
	// cannot be used.
	DepDirs []string
	// API fingerprints what importers see of the package (its
	// package-level declarations and their types, not function bodies), as
	// this run type-checked it. RunPackages sets it anew: when it did not
	// change, packages that depend on this one need not be instrumented
	// again, though DepDirs names its directory.
	API string `json:",omitempty"`
}

// LoadedImport is an import of a LoadedPackage.
type LoadedImport struct {
	PkgPath    string
	ExportFile string // the go command's export data, in its build cache
}

func loadedPackage(p *packages.Package, depDirs []string) LoadedPackage {
	lp := LoadedPackage{ID: p.ID, PkgPath: p.PkgPath, Name: p.Name, GoFiles: p.GoFiles, Imports: map[string]LoadedImport{}, DepDirs: depDirs,
		API: apiFingerprint(p.Types)}
	for path, imp := range p.Imports {
		lp.Imports[path] = LoadedImport{PkgPath: imp.PkgPath, ExportFile: imp.ExportFile}
	}
	if p.Module != nil {
		lp.Module = &packages.Module{Path: p.Module.Path, Dir: p.Module.Dir, GoVersion: p.Module.GoVersion, Main: p.Module.Main}
	}
	return lp
}

// RunPackages instruments pkgs again, as Run would, from the current
// content of their files and the export data of their imports that Run
// found. It is only right when nothing else that Run read changed: the
// caller must know that no file was added to or removed from these
// packages, that no build constraint changed, that no package they depend
// on changed (DepDirs), that no other package gained a directive and, with
// call-site rules (cfg.CallRules, from Run's Result.Rules), that no rule
// changed and no file of another package names a rule's function. A
// package they depend on may be among pkgs if its API comes out as it was
// (Result.Packages holds the new fingerprints; else the caller should
// Run). cfg.Dir is the main module's root; goarch sizes the types, as go
// list's GOARCH does. An import that is not among those Run found is a
// type error, in Result.Uninstrumented: the caller should then Run.
func RunPackages(cfg Config, pkgs []LoadedPackage, goarch string) (*Result, error) {
	if cfg.Mode == Strip {
		return nil, fmt.Errorf("instrument.RunPackages: Strip needs no types; use Run")
	}
	root, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, err
	}
	pkgs = append([]LoadedPackage(nil), pkgs...)
	r := &run{cfg: &cfg, res: &Result{ModuleRoot: root, Packages: pkgs, Rules: cfg.CallRules},
		listing: &listing{candidates: map[string][]byte{}}, rules: callRulesOf(cfg.CallRules)}
	sizes := types.SizesFor("gc", goarch)
	imp := newExportImporter()
	for i, lp := range pkgs {
		var candidates []string
		for _, f := range lp.GoFiles {
			src, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			if isCandidate(src) || MayCall(cfg.CallRules, src) {
				r.listing.candidates[f] = src
				candidates = append(candidates, f)
			}
		}
		if len(candidates) == 0 {
			continue
		}
		p := &packages.Package{ID: lp.ID, PkgPath: lp.PkgPath, Name: lp.Name, GoFiles: lp.GoFiles,
			Imports: map[string]*packages.Package{}, TypesSizes: sizes, Module: lp.Module}
		for path, li := range lp.Imports {
			p.Imports[path] = &packages.Package{ID: li.PkgPath, PkgPath: li.PkgPath, ExportFile: li.ExportFile}
		}
		if err := r.instrumentPackage(p, candidates, imp); err != nil {
			return nil, err
		}
		pkgs[i].API = apiFingerprint(p.Types)
	}
	sort.Slice(r.res.Files, func(i, j int) bool { return r.res.Files[i].Path < r.res.Files[j].Path })
	sortDiagnostics(r.res.Diagnostics)
	sortDiagnostics(r.res.Warnings)
	sort.Strings(r.res.Uninstrumented)
	return r.res, nil
}
