package gobuild

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-ddt/ddt/instrument"
	"github.com/go-ddt/ddt/internal/atomicfile"
	"github.com/go-ddt/ddt/internal/gomod"
	"github.com/go-ddt/ddt/internal/pkgdir"
	"github.com/go-ddt/ddt/internal/process"
	"golang.org/x/mod/modfile"
)

// Reusing the last instrumentation.
//
// "ddt build", "run" and "test" instrument the module before every go
// command, so that a stale copy never hides an edit. Loading the module
// with type information costs two go list runs, more than a go build that
// finds everything in its cache. So each run that instruments cleanly
// leaves .ddt/state.json: a key for ddt, the go command, the environment
// and the flags, and the size, modification time and mode of every file
// instrumentation read (the .go files and go.mod, go.sum, go.work of the
// module and of the modules it replaces with local directories or uses in
// a workspace). When the next run finds the same key and the same files, it
// builds with the overlay it already has.
//
// As in git's index and the go command's file hash cache, a file modified
// within two seconds of the scan is "racy": it could change again within
// its timestamp's granularity without its stamp changing. The state keeps
// a racy file's content hash too, and the next run compares contents.

const stateJSONName = "state.json"

// racyWindow is how recent a modification makes a file racy.
const racyWindow = 2 * time.Second

// runState is what .ddt/state.json holds.
type runState struct {
	Key         string               `json:"key"`
	Files       map[string]fileStamp `json:"files"`
	Overlay     string               `json:"overlay"`      // the overlay JSON's path
	OverlayHash string               `json:"overlay_hash"` // its SHA-256
	// Copies stamps the instrumented copies, which a tool that walks
	// the tree (gofmt -w ., say) could rewrite.
	Copies   map[string]fileStamp `json:"copies"`
	Warnings []string             `json:"warnings,omitempty"`
	// Packages are the marked packages, for instrumenting only those
	// whose files changed next time (incremental.go); nil when
	// that cannot be done (tests loaded).
	Packages []markedPackage `json:"packages,omitempty"`
	// Rules are the call-site rules that run resolved, which instrumenting
	// only the changed packages applies again.
	Rules []instrument.CallRule `json:"rules,omitempty"`
}

type fileStamp struct {
	Size    int64       `json:"size"`
	ModTime int64       `json:"mtime"` // nanoseconds since 1970
	Mode    fs.FileMode `json:"mode"`
	Hash    string      `json:"hash,omitempty"` // SHA-256 of a racy file's content
}

// goEnvVars are the go env variables that decide what instrumentation
// sees, and where the module is.
var goEnvVars = []string{"GOMOD", "GOWORK", "GOVERSION", "GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOEXPERIMENT", "GOROOT"}

// goEnvRuns counts the go env runs, for tests.
var goEnvRuns atomic.Int64

// goEnvironment is the answer of go env for goEnvVars.
type goEnvironment map[string]string

// readGoEnv runs go env once for goEnvVars in dir.
func readGoEnv(dir string, env []string) (goEnvironment, error) {
	goEnvRuns.Add(1)
	out, err := process.GoOutput(dir, env, append([]string{"env"}, goEnvVars...)...)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	ge := goEnvironment{}
	for i, name := range goEnvVars {
		if i < len(lines) {
			ge[name] = strings.TrimSpace(lines[i])
		}
	}
	return ge, nil
}

// reuseKey identifies everything but the files that instrumentation
// depends on: ddt itself, the go toolchain and environment, and the flags.
func reuseKey(ge goEnvironment, verb string, loadFlags []string) string {
	h := sha256.New()
	put := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
	}
	if exe, err := os.Executable(); err == nil {
		put("ddt", exe)
		if info, err := os.Stat(exe); err == nil {
			put(info.ModTime().UTC().Format(time.RFC3339Nano), strconv.FormatInt(info.Size(), 10))
		}
	}
	if goBin, err := exec.LookPath("go"); err == nil {
		put("go", goBin)
	}
	for _, name := range goEnvVars {
		put(name, ge[name])
	}
	put("test", strconv.FormatBool(verb == "test"))
	put(loadFlags...)
	return hex.EncodeToString(h.Sum(nil))
}

// inputDirs returns the directories whose files instrumentation reads from
// or depends on: the module root, the directories of local replacements,
// and the modules of the workspace.
func inputDirs(root string, ge goEnvironment) []string {
	dirs := []string{root}
	dirs = append(dirs, localReplacements(filepath.Join(root, "go.mod"))...)
	if work := ge["GOWORK"]; work != "" && work != "off" {
		dirs = append(dirs, filepath.Dir(work))
		if data, err := os.ReadFile(work); err == nil {
			if wf, err := modfile.ParseWork(work, data, nil); err == nil {
				for _, u := range wf.Use {
					d := absAgainst(filepath.Dir(work), u.Path)
					dirs = append(dirs, d)
					dirs = append(dirs, localReplacements(filepath.Join(d, "go.mod"))...)
				}
				for _, r := range wf.Replace {
					if modfile.IsDirectoryPath(r.New.Path) {
						dirs = append(dirs, absAgainst(filepath.Dir(work), r.New.Path))
					}
				}
			}
		}
	}
	slices.Sort(dirs)
	return slices.Compact(dirs)
}

// localReplacements returns the directories that the go.mod at path
// replaces modules with.
func localReplacements(path string) []string {
	mf, err := gomod.ReadFile(path)
	if err != nil {
		return nil
	}
	var dirs []string
	for _, r := range mf.Replace {
		if modfile.IsDirectoryPath(r.New.Path) {
			dirs = append(dirs, absAgainst(filepath.Dir(path), r.New.Path))
		}
	}
	return dirs
}

// stampInputs stamps the files of dirs that instrumentation depends on,
// skipping the directories that ./... leaves out (pkgdir.Skip; ddt's own
// .ddt among them) except vendor, whose code and modules.txt decide what
// the marked packages import.
func stampInputs(dirs []string) map[string]fileStamp {
	stamps := map[string]fileStamp{}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				// Unreadable: stamp it as such, so that it becoming
				// readable is a change.
				stamps[path] = fileStamp{Size: -1}
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if d.IsDir() {
				if path != dir && name != "vendor" && pkgdir.Skip(name) {
					return fs.SkipDir
				}
				return nil
			}
			if !isInputFile(name, path) {
				return nil
			}
			stamps[path] = stampFile(path)
			return nil
		})
	}
	return stamps
}

// stampFile stamps one file; Size is -1 if it cannot be read.
func stampFile(path string) fileStamp {
	info, err := os.Stat(path)
	if err != nil {
		return fileStamp{Size: -1}
	}
	return fileStamp{Size: info.Size(), ModTime: info.ModTime().UnixNano(), Mode: info.Mode()}
}

// isInputFile reports whether a file named name can change what
// instrumentation produces or what the go command loads.
func isInputFile(name, path string) bool {
	switch name {
	case "go.mod", "go.sum", "go.work", "go.work.sum":
		return true
	case "modules.txt":
		return filepath.Base(filepath.Dir(path)) == "vendor"
	}
	return strings.HasSuffix(name, ".go")
}

// hashRacy adds the content hash of each file modified within racyWindow
// of since (or after it) to its stamp.
func hashRacy(stamps map[string]fileStamp, since time.Time) {
	limit := since.Add(-racyWindow).UnixNano()
	for path, s := range stamps {
		if s.ModTime >= limit && s.Size >= 0 {
			s.Hash = hashFile(path)
			stamps[path] = s
		}
	}
}

// restamp stamps paths again, hashing them (they were just written), and
// forgets those that do not exist.
func restamp(stamps map[string]fileStamp, paths ...string) {
	for _, path := range paths {
		s := stampFile(path)
		if s.Size < 0 {
			delete(stamps, path)
			continue
		}
		s.Hash = hashFile(path)
		stamps[path] = s
	}
}

// hashFile returns the SHA-256 of the file at path, or "" if it cannot be
// read.
func hashFile(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return hashBytes(data)
}

// sameStamp reports whether a file's stamp now is the one saved: the same
// size, time and mode and, for a file that was racy, the same content.
func sameStamp(path string, now, saved fileStamp) bool {
	if now.Size < 0 || now.Size != saved.Size || now.ModTime != saved.ModTime || now.Mode != saved.Mode {
		return false
	}
	return saved.Hash == "" || hashFile(path) == saved.Hash
}

// statePath is where the state of the module at root is kept.
func statePath(root string) string { return filepath.Join(root, ddtDirName, stateJSONName) }

// loadState reads the state of the last clean run of the module at root,
// or returns nil.
func loadState(root string) *runState {
	data, err := os.ReadFile(statePath(root))
	if err != nil {
		return nil
	}
	var st runState
	if json.Unmarshal(data, &st) != nil {
		return nil
	}
	return &st
}

// reusableOverlay returns the overlay JSON of the last run, and its
// warnings, if that run's state matches key and stamps and its overlay is
// intact.
func reusableOverlay(root, key string, stamps map[string]fileStamp) (overlay string, warnings []string, ok bool) {
	st := loadState(root)
	if st == nil || st.Key != key || len(st.Files) != len(stamps) {
		return "", nil, false
	}
	for path, s := range stamps {
		if saved, ok := st.Files[path]; !ok || !sameStamp(path, s, saved) {
			return "", nil, false
		}
	}
	if _, ok := intactOverlay(st); !ok {
		return "", nil, false
	}
	return st.Overlay, st.Warnings, true
}

// intactOverlay returns the replacements of the overlay that st describes
// if it and its copies are as that run wrote them.
func intactOverlay(st *runState) (replace map[string]string, ok bool) {
	ov, err := os.ReadFile(st.Overlay)
	if err != nil || hashBytes(ov) != st.OverlayHash {
		return nil, false
	}
	var o overlayFile
	if json.Unmarshal(ov, &o) != nil {
		return nil, false
	}
	if len(o.Replace) != len(st.Copies) {
		return nil, false
	}
	for _, copyPath := range o.Replace {
		if saved, ok := st.Copies[copyPath]; !ok || !sameStamp(copyPath, stampFile(copyPath), saved) {
			return nil, false
		}
	}
	return o.Replace, true
}

// saveState records a clean run. Errors are ignored: without a state, the
// next run instruments again.
func saveState(root string, st runState) {
	data, err := os.ReadFile(st.Overlay)
	if err != nil {
		return
	}
	st.OverlayHash = hashBytes(data)
	var o overlayFile
	if json.Unmarshal(data, &o) != nil {
		return
	}
	st.Copies = map[string]fileStamp{}
	for _, copyPath := range o.Replace {
		st.Copies[copyPath] = stampFile(copyPath)
	}
	// The copies were written a moment ago: racy, so compared by content.
	hashRacy(st.Copies, time.Now())
	out, err := json.Marshal(st)
	if err != nil {
		return
	}
	atomicfile.WriteFile(statePath(root), append(out, '\n'), 0o666)
}

// forgetState removes the state of the module at root, before a run
// changes the overlay it describes.
func forgetState(root string) { os.Remove(statePath(root)) }

func hashBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
