package ddtsql

import (
	"context"
	"database/sql/driver"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/internal/callers"
	"github.com/go-ddt/ddt/runtime/redact"
	"hash/maphash"
	"strconv"
	"time"
)

// Kind is the event kind of the recorded queries: the SQL panel lists it.
const Kind = "sql"

// Operations, the "op" result of an event.
const (
	OpQuery    = "query"    // a statement that returns rows
	OpExec     = "exec"     // a statement that does not
	OpBegin    = "begin"    // a transaction began
	OpCommit   = "commit"   // a transaction was committed
	OpRollback = "rollback" // a transaction was rolled back
)

// MaxSQL bounds the statement text kept for an event, in bytes.
const MaxSQL = 16 << 10

// skipper drops the frames of database/sql and ddtsql from a query's
// stack, so that it starts where the application made the query.
var skipper = callers.NewSkipper("database/sql", "github.com/go-ddt/ddt/runtime/integrations/ddtsql")

// argsSeed keys the digest of a query's arguments: the digest tells
// duplicates apart without showing the values, even redacted ones, and
// cannot be matched against guesses outside this process.
var argsSeed = maphash.MakeSeed()

func (c *wrappedConn) recordQuery(ctx context.Context, query string, args []driver.NamedValue, start time.Time, err error) {
	c.record(ctx, OpQuery, query, args, start, -1, err)
}

func (c *wrappedConn) recordExec(ctx context.Context, query string, args []driver.NamedValue, start time.Time, res driver.Result, err error) {
	rows := int64(-1)
	if err == nil && res != nil {
		if n, rerr := res.RowsAffected(); rerr == nil {
			rows = n
		}
	}
	c.record(ctx, OpExec, query, args, start, rows, err)
}

func (c *wrappedConn) recordTx(ctx context.Context, op string, id uint64, start time.Time, err error) {
	if !recording(ctx) {
		return
	}
	e := event.New()
	*e = event.Event{Kind: Kind, Name: op, Start: start, Duration: time.Since(start), Stack: stack(ctx)}
	e.Results = []event.Field{opField(op), c.target.field, {Name: "tx", Value: strconv.FormatUint(id, 10), Raw: id}}
	if err != nil {
		e.Results = append(e.Results, errField(err))
	}
	event.Emit(ctx, e)
	event.Release(e)
}

// record delivers the event of one statement. Its shape is documented in
// the package comment.
func (c *wrappedConn) record(ctx context.Context, op, query string, args []driver.NamedValue, start time.Time, rows int64, err error) {
	dur := time.Since(start)
	a := analyze(query)
	e := event.New()
	*e = event.Event{Kind: Kind, Name: truncate(a.display), Start: start, Duration: dur, Stack: stack(ctx)}
	// At most args, op, db, tx, rows and err or explain: one allocation.
	e.Results = make([]event.Field, 0, 6)
	if len(args) > 0 {
		var h maphash.Hash
		h.SetSeed(argsSeed)
		e.Args = make([]event.Field, len(args))
		for i, nv := range args {
			f := argField(nv)
			h.WriteString(f.Name)
			h.WriteByte(0)
			h.WriteString(f.Value)
			h.WriteByte(0)
			if a.secretArg(nv.Name, nv.Ordinal) {
				f.Value, f.Raw = redact.Redacted, nil
			}
			e.Args[i] = f
		}
		e.Results = append(e.Results, event.Field{Name: "args", Value: strconv.FormatUint(h.Sum64(), 16)})
	}
	e.Results = append(e.Results, opField(op), c.target.field)
	if tx := c.txID.Load(); tx != 0 {
		e.Results = append(e.Results, event.Field{Name: "tx", Value: strconv.FormatUint(tx, 10), Raw: tx})
	}
	if rows >= 0 {
		e.Results = append(e.Results, event.Field{Name: "rows", Value: strconv.FormatInt(rows, 10), Raw: rows})
	}
	if err != nil {
		e.Results = append(e.Results, errField(err))
	} else if a.explainable && canExplain(c.target.dialect) {
		ref := remember(c.target, query, args)
		e.Results = append(e.Results, event.Field{Name: "explain", Value: ref, Raw: ref})
	}
	event.Emit(ctx, e)
	event.Release(e)
}

var opFields = map[string]event.Field{}

func init() {
	for _, op := range []string{OpQuery, OpExec, OpBegin, OpCommit, OpRollback} {
		opFields[op] = event.NewField("op", op)
	}
}

func opField(op string) event.Field { return opFields[op] }

// stack returns the application's stack, or an empty one when the
// request's toolbar takes no stacks.
func stack(ctx context.Context) []uintptr {
	if !event.WantStacks(ctx) {
		return []uintptr{}
	}
	return skipper.Capture(1)
}

// argField renders one argument: its name is the argument's own (from
// sql.Named) or its position; a time is shown as a time.
func argField(nv driver.NamedValue) event.Field {
	name := nv.Name
	if name == "" {
		name = strconv.Itoa(nv.Ordinal)
	}
	if t, ok := nv.Value.(time.Time); ok {
		return event.Field{Name: name, Type: "time.Time", Value: t.Format(time.RFC3339Nano)}
	}
	return event.NewField(name, nv.Value)
}

// errField renders an error by its message: errors of drivers are values
// whose Error method is safe to call.
func errField(err error) event.Field {
	msg := err.Error()
	return event.Field{Name: "err", Value: strconv.Quote(msg), Raw: msg}
}

func truncate(s string) string {
	if len(s) <= MaxSQL {
		return s
	}
	n := MaxSQL
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + event.Truncated
}
