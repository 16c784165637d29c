package ddtsql

import (
	"slices"
	"testing"
)

func TestAnalyzeColumns(t *testing.T) {
	for _, c := range []struct {
		sql     string
		columns []string // of the placeholders, in order
	}{
		{`SELECT * FROM users WHERE id = ? AND api_key = ?`, []string{"id", "api_key"}},
		{`SELECT * FROM users u WHERE u."Password" <> $1 OR u.name LIKE $2`, []string{"Password", "name"}},
		{`UPDATE users SET token = :tok, name = :name WHERE id = :id`, []string{"token", "name", "id"}},
		{`INSERT INTO users (name, password_hash, age) VALUES (?, lower(?), ?), (?, ?, ?)`,
			[]string{"name", "password_hash", "age", "name", "password_hash", "age"}},
		{"INSERT INTO `t` (`a`, \"secret\") VALUES (@a, @s)", []string{"a", "secret"}},
		{`INSERT INTO t VALUES (?, ?)`, []string{"", ""}},
		{`SELECT 1 FROM t WHERE session_id IN (?, ?, ?)`, []string{"session_id", "session_id", "session_id"}},
		{`SELECT ? = token`, []string{"token"}},
		{`SELECT x::int FROM t WHERE a = ? -- b = ?
		  /* c = ? */ AND d = '?' AND e = ?2`, []string{"a", "e"}},
	} {
		a := analyzeUncached(c.sql)
		var got []string
		for _, p := range a.params {
			got = append(got, p.column)
		}
		if !slices.Equal(got, c.columns) {
			t.Errorf("%s\ncolumns %q, want %q", c.sql, got, c.columns)
		}
	}
}

func TestAnalyzeRedactsLiterals(t *testing.T) {
	for in, want := range map[string]string{
		`SELECT * FROM u WHERE password = 'hunter2' AND name = 'ann'`:      `SELECT * FROM u WHERE password = '********' AND name = 'ann'`,
		`INSERT INTO u (name, api_key) VALUES ('ann', 'k-123'), ('bo', 7)`: `INSERT INTO u (name, api_key) VALUES ('ann', '********'), ('bo', '********')`,
		`UPDATE u SET secret = E'it''s' WHERE id = 3`:                      `UPDATE u SET secret = '********' WHERE id = 3`,
		`SELECT 'password = 1'`:                                            `SELECT 'password = 1'`,
		// PostgreSQL's dollar quoting: the literal is one string, whatever it holds.
		`SET password = $$hunter2$$`:                              `SET password = '********'`,
		`UPDATE u SET api_key = $k$it's $$ here$k$ WHERE id = $1`: `UPDATE u SET api_key = '********' WHERE id = $1`,
		`SELECT $$password = 'x'$$, a$b FROM t WHERE token = $t$`: `SELECT $$password = 'x'$$, a$b FROM t WHERE token = '********'`,
		`UPDATE u SET secret = $x$unterminated`:                   `UPDATE u SET secret = '********'`,
	} {
		if got := analyzeUncached(in).display; got != want {
			t.Errorf("%s\n got %s\nwant %s", in, got, want)
		}
	}
}

func TestSecretArg(t *testing.T) {
	a := analyzeUncached(`UPDATE users SET password = ?, name = ? WHERE id = ?`)
	for ord, want := range map[int]bool{1: true, 2: false, 3: false} {
		if got := a.secretArg("", ord); got != want {
			t.Errorf("ordinal %d: secret %v", ord, got)
		}
	}
	a = analyzeUncached(`SELECT * FROM t WHERE a = $2 AND auth_token = $1`)
	if !a.secretArg("", 1) || a.secretArg("", 2) {
		t.Errorf("$N placeholders: %v %v", a.secretArg("", 1), a.secretArg("", 2))
	}
	a = analyzeUncached(`SELECT * FROM t WHERE token = :t AND x = :x`)
	if !a.secretArg("t", 1) || a.secretArg("x", 2) || !a.secretArg("apikey", 3) {
		t.Error("named placeholders")
	}
}

func TestExplainable(t *testing.T) {
	for sql, want := range map[string]bool{
		"SELECT 1":                               true,
		"  /* hi */ select * from t":             true,
		"WITH x AS (SELECT 1) SELECT * FROM x":   true,
		"WITH x AS (DELETE FROM t) SELECT 1":     false,
		"SELECT 1; DROP TABLE t":                 false,
		"SELECT 1;":                              true,
		"INSERT INTO t VALUES (1)":               false,
		"UPDATE t SET a = 1":                     false,
		"SELECT * INTO new FROM t":               false,
		"PRAGMA table_info(t)":                   false,
		"select * from t where name = 'delete'":  true,
		"SELECT * FROM t WHERE a = ? FOR UPDATE": false,
	} {
		if got := analyzeUncached(sql).explainable; got != want {
			t.Errorf("explainable(%q) = %v", sql, got)
		}
	}
}
