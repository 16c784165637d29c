package ddtsql

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-ddt/ddt/runtime/ext"
)

// Bounds of explaining.
const (
	// KeepExplainable is how many recent SELECTs can be explained; the
	// SQL panel of an older request says that its queries have expired.
	KeepExplainable = 2048
	// ExplainTimeout bounds one EXPLAIN.
	ExplainTimeout = 10 * time.Second
	// MaxExplainRows bounds the plan's rows shown.
	MaxExplainRows = 500
)

// explainable is a recorded SELECT, kept so it can be explained with the
// arguments it ran with. Only the server holds it: the browser gets a
// signed reference.
type explainable struct {
	seq    uint64
	target *target
	query  string
	args   []driver.NamedValue
}

var (
	// signingKey signs references; it is new in every process, so a
	// reference from a previous run is refused.
	signingKey = func() []byte {
		k := make([]byte, 32)
		rand.Read(k)
		return k
	}()

	keptMu   sync.Mutex
	kept     [KeepExplainable]explainable
	keptNext uint64    // sequence number of the last query kept; 0 is never used
	mac      hash.Hash // HMAC-SHA256 under signingKey, reset for each use under keptMu
)

// remember keeps a SELECT for EXPLAIN and returns its signed reference.
func remember(t *target, query string, args []driver.NamedValue) string {
	if ref, ok := seal(t, query, args); ok {
		return ref
	}
	copied := make([]driver.NamedValue, len(args))
	for i, a := range args {
		if b, ok := a.Value.([]byte); ok { // the caller may reuse its buffer
			a.Value = append([]byte(nil), b...)
		}
		copied[i] = a
	}
	keptMu.Lock()
	defer keptMu.Unlock()
	keptNext++
	seq := keptNext
	kept[seq%KeepExplainable] = explainable{seq: seq, target: t, query: query, args: copied}
	if key := ext.SigningKey(); key != nil {
		// Another instance shares the key and numbers its queries too:
		// the reference names this instance, and its MAC covers the name.
		name := ext.Instance()
		return signShared(key, name, seq) + instanceMark + base64.RawURLEncoding.EncodeToString([]byte(name))
	}
	return sign(seq)
}

// signShared is sign under the key the instances share, for instance name.
func signShared(key []byte, name string, seq uint64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("ddtsql explain " + name + " "))
	m.Write(strconv.AppendUint(nil, seq, 36))
	sum := m.Sum(nil)
	return strconv.FormatUint(seq, 36) + "." + base64.RawURLEncoding.EncodeToString(sum[:16])
}

// sign returns the reference of query number seq: the number and its
// HMAC. Call it with keptMu held.
func sign(seq uint64) string {
	if mac == nil {
		mac = hmac.New(sha256.New, signingKey)
	}
	mac.Reset()
	var buf [64]byte
	b := append(buf[:0], "ddtsql explain "...)
	mac.Write(strconv.AppendUint(b, seq, 36))
	sum := mac.Sum(buf[:0])
	var out [13 + 1 + 22]byte
	r := strconv.AppendUint(out[:0], seq, 36)
	r = append(r, '.')
	r = base64.RawURLEncoding.AppendEncode(r, sum[:16])
	return string(r)
}

// Errors of [Explain].
var (
	ErrBadReference  = errors.New("ddtsql: not a valid explain reference")
	ErrExpired       = errors.New("ddtsql: the query is no longer kept; reload the page to record it again")
	ErrNotExplained  = errors.New("ddtsql: only a single SELECT statement can be explained")
	ErrNoExplainable = errors.New("ddtsql: this database's dialect has no EXPLAIN that ddtsql knows")
)

// lookup returns the query that ref refers to.
func lookup(ref string) (explainable, error) {
	if strings.HasPrefix(ref, sealedPrefix) {
		return unseal(ref)
	}
	if signed, name, ok := strings.Cut(ref, instanceMark); ok {
		return lookupShared(signed, name)
	}
	s, _, ok := strings.Cut(ref, ".")
	seq, err := strconv.ParseUint(s, 36, 64)
	if !ok || err != nil || seq == 0 {
		return explainable{}, ErrBadReference
	}
	keptMu.Lock()
	want := sign(seq)
	e := kept[seq%KeepExplainable]
	keptMu.Unlock()
	if !hmac.Equal([]byte(want), []byte(ref)) {
		return explainable{}, ErrBadReference
	}
	if e.seq != seq {
		return explainable{}, ErrExpired
	}
	return e, nil
}

// lookupShared returns the query of a local reference made under the
// shared key by the instance whose name is encoded in encName.
func lookupShared(signed, encName string) (explainable, error) {
	b, err := base64.RawURLEncoding.DecodeString(encName)
	s, _, ok := strings.Cut(signed, ".")
	seq, perr := strconv.ParseUint(s, 36, 64)
	key := ext.SigningKey()
	if err != nil || !ok || perr != nil || seq == 0 {
		return explainable{}, ErrBadReference
	}
	name := string(b)
	if key == nil {
		return explainable{}, fmt.Errorf("%w (this instance has no shared key)", ErrOtherKey)
	}
	if !hmac.Equal([]byte(signShared(key, name, seq)), []byte(signed)) {
		return explainable{}, ErrBadReference
	}
	if name != ext.Instance() {
		return explainable{}, fmt.Errorf("%w: its arguments were too large or of a type to travel with the reference; "+
			"it ran on instance %q, this is %q: explain it from that instance's toolbar", ErrOtherInstance, name, ext.Instance())
	}
	keptMu.Lock()
	e := kept[seq%KeepExplainable]
	keptMu.Unlock()
	if e.seq != seq {
		return explainable{}, ErrExpired
	}
	return e, nil
}

// Plan is the result of EXPLAIN for one recorded query.
type Plan struct {
	Database string     `json:"database"` // the database's label ([Name])
	Dialect  string     `json:"dialect"`  // sqlite, postgres, mysql
	SQL      string     `json:"sql"`      // the statement explained, as recorded (secrets redacted)
	Command  string     `json:"command"`  // EXPLAIN or EXPLAIN QUERY PLAN
	Columns  []string   `json:"columns"`  // of the plan
	Rows     [][]string `json:"rows"`     // the plan, each value as text
	More     bool       `json:"more"`     // rows beyond MaxExplainRows were left out
}

func canExplain(dialect string) bool { return explainPrefix(dialect) != "" }

func explainPrefix(dialect string) string {
	switch dialect {
	case "sqlite":
		return "EXPLAIN QUERY PLAN "
	case "postgres", "mysql":
		return "EXPLAIN "
	}
	return ""
}

// Explain runs EXPLAIN for the recorded query that ref (a reference from a
// SQL event's "explain" result) names, with the arguments it ran with,
// inside a transaction that is rolled back, so that nothing it might do is
// kept. ref is checked against this process's signing key first: text from
// a client is never run as SQL.
func Explain(ctx context.Context, ref string) (*Plan, error) {
	e, err := lookup(ref)
	if err != nil {
		return nil, err
	}
	a := analyze(e.query)
	if !a.explainable {
		return nil, ErrNotExplained
	}
	prefix := explainPrefix(e.target.dialect)
	if prefix == "" {
		return nil, ErrNoExplainable
	}
	ctx, cancel := context.WithTimeout(context.WithValue(ctx, quietKey{}, true), ExplainTimeout)
	defer cancel()
	tx, err := e.target.db().BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("ddtsql: explain: %w", err)
	}
	defer tx.Rollback()
	args := make([]any, len(e.args))
	for i, nv := range e.args {
		if nv.Name != "" {
			args[i] = sql.Named(nv.Name, nv.Value)
		} else {
			args[i] = nv.Value
		}
	}
	rows, err := tx.QueryContext(ctx, prefix+e.query, args...)
	if err != nil {
		return nil, fmt.Errorf("ddtsql: explain: %w", err)
	}
	defer rows.Close()
	p := &Plan{Database: e.target.name, Dialect: e.target.dialect, SQL: a.display, Command: strings.TrimSpace(prefix)}
	if p.Columns, err = rows.Columns(); err != nil {
		return nil, err
	}
	for rows.Next() {
		if len(p.Rows) == MaxExplainRows {
			p.More = true
			break
		}
		vals := make([]sql.NullString, len(p.Columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			row[i] = v.String
		}
		p.Rows = append(p.Rows, row)
	}
	return p, rows.Err()
}
