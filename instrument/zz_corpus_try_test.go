package instrument

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCorpusTry(t *testing.T) {
	dir := os.Getenv("CORPUS_DIR")
	if dir == "" {
		t.Skip()
	}
	mode := map[string]Mode{"w": InPlace, "s": Strip, "o": Overlay}[os.Getenv("CORPUS_MODE")]
	res, err := Run(Config{Dir: dir, Env: testEnv(), Tests: true, Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		t.Error(d)
	}
	for _, d := range res.Warnings {
		t.Log("warning:", d)
	}
	n := 0
	for _, f := range res.Files {
		if f.Changed() {
			n++
			if mode == Overlay {
				continue
			}
			os.WriteFile(f.Path, f.Output, 0o644)
		}
	}
	if mode == Overlay {
		ov := writeOverlay(t, os.Getenv("OVERLAY_DIR"), res.Files)
		t.Log("overlay", ov)
		_ = filepath.Join
	}
	t.Logf("%d files changed", n)
}
