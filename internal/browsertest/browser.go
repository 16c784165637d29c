package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// RequireEnv names the environment variable that turns a missing browser
// from a skipped test into a failed one.
const RequireEnv = "DDT_REQUIRE_BROWSER"

// PathEnv names the environment variable that selects the browser binary.
const PathEnv = "DDT_CHROMIUM"

// StartTimeout bounds how long a browser may take to start and open its
// first tab; a loaded 2-core CI machine under -race needs a few seconds.
const StartTimeout = 30 * time.Second

// ErrNotFound reports that no Chromium binary was found.
var ErrNotFound = errors.New("browsertest: no chromium binary found (install Debian's chromium or set " + PathEnv + ")")

// candidates are tried in order when PathEnv is unset.
var candidates = []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"}

// ExecPath returns the browser binary to use: $DDT_CHROMIUM when set, else
// the first of chromium, chromium-browser, google-chrome-stable and
// google-chrome found on $PATH.
func ExecPath() (string, error) {
	if p := os.Getenv(PathEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("browsertest: %s=%s: %w", PathEnv, p, err)
		}
		return p, nil
	}
	for _, name := range candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// Browser is a running headless browser owned by one test.
type Browser struct {
	ctx    context.Context // chromedp browser context; tabs derive from it
	output *lockedBuffer   // the browser's stdout and stderr, for failures
}

// Start starts a headless browser for tb and stops it when tb ends. It skips
// tb when no browser is installed, unless DDT_REQUIRE_BROWSER=1.
func Start(tb testing.TB) *Browser {
	tb.Helper()
	path, err := ExecPath()
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			tb.Fatalf("%v; %s=1 requires a browser", err, RequireEnv)
		}
		tb.Skipf("%v; skipping (set %s=1 to fail instead)", err, RequireEnv)
	}
	out := new(lockedBuffer)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocatorOptions(path, tb.TempDir(), out)...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	tb.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	// Run an empty action so the browser starts now: a start failure is then
	// reported here, with the browser's own output, not in the first tab.
	// The first action binds the browser's lifetime to its context, so the
	// deadline cancels ctx itself rather than a derived context.
	deadline := time.AfterFunc(StartTimeout, cancelBrowser)
	defer deadline.Stop()
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("browsertest: starting %s: %v\nbrowser output:\n%s", path, err, out.String())
	}
	return &Browser{ctx: ctx, output: out}
}

// allocatorOptions are the command-line flags of the browser: headless, no
// sandbox (tests often run as root in containers), no GPU, nothing that
// talks to the network on its own, and a fresh profile in dataDir.
func allocatorOptions(path, dataDir string, out *lockedBuffer) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dataDir),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		// Tests talk to loopback servers; every other host fails to resolve
		// (the rule covers IP literals too), so nothing leaves the machine.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]"),
		chromedp.WindowSize(1280, 800),
		chromedp.CombinedOutput(out),
	}
}

// lockedBuffer collects the browser's output; the allocator writes to it
// from its own goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 {
		return len(p), nil // enough to diagnose a failure
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
