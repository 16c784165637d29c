package servicetest

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"
)

// Environment variables.
const (
	PostgresEnv = "DDT_TEST_POSTGRES"    // postgres://user@127.0.0.1:port/db?sslmode=disable
	RedisEnv    = "DDT_TEST_REDIS"       // redis://127.0.0.1:port/0
	RequireEnv  = "DDT_REQUIRE_SERVICES" // 1: a missing server fails the test
)

// missing skips tb, or fails it under RequireEnv=1.
func missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(RequireEnv) == "1" {
		tb.Fatalf("%s; %s=1 requires it", msg, RequireEnv)
	}
	tb.Skipf("%s; skipping (run: eval \"$(bash .ci/services.sh start)\")", msg)
}

// Postgres returns the URL of the shared PostgreSQL server.
func Postgres(tb testing.TB) string {
	tb.Helper()
	return fromEnv(tb, PostgresEnv, "PostgreSQL")
}

// Redis returns the URL of the shared Redis server.
func Redis(tb testing.TB) string {
	tb.Helper()
	return fromEnv(tb, RedisEnv, "Redis")
}

func fromEnv(tb testing.TB, env, what string) string {
	tb.Helper()
	v := os.Getenv(env)
	if v == "" {
		missing(tb, "no %s server: %s is unset", what, env)
	}
	u, err := url.Parse(v)
	if err != nil {
		tb.Fatalf("%s: %v", env, err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		tb.Fatalf("%s names %s: tests only talk to loopback servers", env, u.Hostname())
	}
	return v
}

// Server is a private server of one test, which it may stop and start.
type Server struct {
	URL   string
	start func() error
	stop  func() error
}

// Stop stops the server (its data stays).
func (s *Server) Stop(tb testing.TB) {
	tb.Helper()
	if err := s.stop(); err != nil {
		tb.Fatalf("stopping the server: %v", err)
	}
}

// Start starts the server again, on the same port.
func (s *Server) Start(tb testing.TB) {
	tb.Helper()
	if err := s.start(); err != nil {
		tb.Fatalf("starting the server: %v", err)
	}
}

// freePort returns a loopback port that nothing listens on now.
func freePort(tb testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitPort waits until something listens on port.
func waitPort(port int, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 100*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing listens on 127.0.0.1:%d after %v", port, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// PrivateRedis starts a redis-server of tb's own on a free loopback port,
// stopped when tb ends.
func PrivateRedis(tb testing.TB) *Server {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		missing(tb, "no redis-server on $PATH")
	}
	port := freePort(tb)
	dir := tb.TempDir()
	var cmd *exec.Cmd
	s := &Server{URL: fmt.Sprintf("redis://127.0.0.1:%d/0", port)}
	s.start = func() error {
		cmd = exec.Command(bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--save", "", "--appendonly", "no", "--dir", dir)
		if err := cmd.Start(); err != nil {
			return err
		}
		return waitPort(port, 10*time.Second)
	}
	s.stop = func() error {
		if cmd == nil || cmd.Process == nil {
			return nil
		}
		cmd.Process.Kill()
		cmd.Wait()
		cmd = nil
		return nil
	}
	if err := s.start(); err != nil {
		tb.Fatalf("starting redis-server: %v", err)
	}
	tb.Cleanup(func() { s.stop() })
	return s
}

// PrivatePostgres makes a PostgreSQL cluster of tb's own (initdb) and
// starts it on a free loopback port; it is stopped when tb ends. As root,
// the cluster belongs to the user postgres, as PostgreSQL requires.
func PrivatePostgres(tb testing.TB) *Server {
	tb.Helper()
	bindir := postgresBindir()
	if bindir == "" {
		missing(tb, "no PostgreSQL binaries (initdb, pg_ctl)")
	}
	port := freePort(tb)
	dir, err := os.MkdirTemp("", "ddt-pg-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	asOwner := func(name string, args ...string) *exec.Cmd {
		if os.Geteuid() == 0 {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
		}
		return exec.Command(name, args...)
	}
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chown", "postgres:", dir).CombinedOutput(); err != nil {
			tb.Fatalf("chown %s: %v: %s", dir, err, out)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := asOwner(filepath.Join(bindir, "initdb"), "-D", data, "-U", "ddt", "--auth=trust", "--no-sync").CombinedOutput(); err != nil {
		tb.Fatalf("initdb: %v: %s", err, out)
	}
	s := &Server{URL: fmt.Sprintf("postgres://ddt@127.0.0.1:%d/postgres?sslmode=disable", port)}
	s.start = func() error {
		out, err := asOwner(filepath.Join(bindir, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60",
			"-o", fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off", port, dir), "start").CombinedOutput()
		if err != nil {
			return fmt.Errorf("pg_ctl start: %v: %s", err, out)
		}
		return nil
	}
	s.stop = func() error {
		out, err := asOwner(filepath.Join(bindir, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop").CombinedOutput()
		if err != nil {
			return fmt.Errorf("pg_ctl stop: %v: %s", err, out)
		}
		return nil
	}
	if err := s.start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err == nil {
			s.stop()
		}
	})
	return s
}

// postgresBindir finds initdb and pg_ctl: on $PATH, else in Debian's
// /usr/lib/postgresql/VERSION/bin, newest first.
func postgresBindir() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return a > b
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d
		}
	}
	return ""
}
