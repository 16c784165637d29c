package instrument

import (
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkRunCallRules instruments (overlay) a module of 20 packages of 5
// files, each file calling strings.ToUpper twice, with one //ddt:flag
// function and no rule, then with a rule that wraps every ToUpper call:
// the cost of a rule is the export data of its package, and parsing and
// type-checking every package with a call site.
func BenchmarkRunCallRules(b *testing.B) {
	for _, rule := range []bool{false, true} {
		b.Run(fmt.Sprintf("rule=%v", rule), func(b *testing.B) {
			files := map[string][]byte{
				"flags.go": []byte("package main\n\nimport \"context\"\n\n//ddt:flag\nfunc enabled(ctx context.Context, name string) bool { return name != \"\" }\n\nfunc main() { _ = enabled(context.Background(), \"x\") }\n"),
			}
			if rule {
				files["rules.go"] = []byte("package main\n\n//ddt:calls trace strings.ToUpper\n")
			}
			for p := range 20 {
				for f := range 5 {
					files[fmt.Sprintf("p%d/f%d.go", p, f)] = fmt.Appendf(nil, "package p%d\n\nimport \"strings\"\n\nfunc F%d(s string) string {\n\treturn strings.ToUpper(s) + strings.ToUpper(s+s)\n}\n", p, f)
				}
			}
			mod := filepath.Join(b.TempDir(), "m")
			writeModule(b, mod, files)
			cfg := Config{Dir: mod, Env: testEnv()}
			if _, err := Run(cfg); err != nil { // warm the go command's caches
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res, err := Run(cfg)
				if err != nil || len(res.Diagnostics) > 0 {
					b.Fatalf("Run: %v %v", err, res.Diagnostics)
				}
				calls := 0
				for _, f := range res.Files {
					calls += len(f.Calls)
				}
				if want := map[bool]int{false: 0, true: 200}[rule]; calls != want {
					b.Fatalf("%d call sites wrapped, want %d", calls, want)
				}
			}
		})
	}
}
