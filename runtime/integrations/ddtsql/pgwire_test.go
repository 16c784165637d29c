package ddtsql_test

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// pgDriver is a minimal PostgreSQL driver, enough to test ddtsql against a
// real server without a dependency: the v3 wire protocol over plain TCP,
// password authentication (cleartext, MD5, SCRAM-SHA-256), statements
// through the extended protocol with text arguments and text results.
type pgDriver struct{}

// Open connects to a DSN of the form postgres://user:password@host:port/db.
func (pgDriver) Open(dsn string) (driver.Conn, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, err
	}
	nc, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		return nil, err
	}
	c := &pgConn{nc: nc, r: bufio.NewReader(nc)}
	pw, _ := u.User.Password()
	if err := c.startup(u.User.Username(), pw, strings.TrimPrefix(u.Path, "/")); err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

type pgConn struct {
	nc net.Conn
	r  *bufio.Reader
}

// send writes one message: its type, length and body.
func (c *pgConn) send(typ byte, body []byte) error {
	msg := make([]byte, 0, 5+len(body))
	if typ != 0 {
		msg = append(msg, typ)
	}
	msg = binary.BigEndian.AppendUint32(msg, uint32(4+len(body)))
	_, err := c.nc.Write(append(msg, body...))
	return err
}

func (c *pgConn) recv() (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
		return 0, nil, err
	}
	body := make([]byte, binary.BigEndian.Uint32(hdr[1:])-4)
	_, err := io.ReadFull(c.r, body)
	return hdr[0], body, err
}

func cstr(s string) []byte { return append([]byte(s), 0) }

// pgError is an ErrorResponse.
func pgError(body []byte) error {
	fields := map[byte]string{}
	for len(body) > 1 {
		i := strings.IndexByte(string(body[1:]), 0)
		if i < 0 {
			break
		}
		fields[body[0]] = string(body[1 : 1+i])
		body = body[2+i:]
	}
	return fmt.Errorf("postgres: %s (%s)", fields['M'], fields['C'])
}

func (c *pgConn) startup(user, password, db string) error {
	body := binary.BigEndian.AppendUint32(nil, 196608) // protocol 3.0
	body = append(append(append(append(body, cstr("user")...), cstr(user)...), cstr("database")...), cstr(db)...)
	if err := c.send(0, append(body, 0)); err != nil {
		return err
	}
	var scram *scramState
	for {
		typ, body, err := c.recv()
		if err != nil {
			return err
		}
		switch typ {
		case 'E':
			return pgError(body)
		case 'Z':
			return nil
		case 'R':
			switch code := binary.BigEndian.Uint32(body); code {
			case 0: // ok
			case 3:
				err = c.send('p', cstr(password))
			case 5:
				h := md5.Sum([]byte(password + user))
				h = md5.Sum(append([]byte(hex.EncodeToString(h[:])), body[4:8]...))
				err = c.send('p', cstr("md5"+hex.EncodeToString(h[:])))
			case 10:
				scram = newScram(password)
				first := scram.clientFirst()
				msg := append(cstr("SCRAM-SHA-256"), binary.BigEndian.AppendUint32(nil, uint32(len(first)))...)
				err = c.send('p', append(msg, first...))
			case 11:
				var final string
				if final, err = scram.clientFinal(string(body[4:])); err == nil {
					err = c.send('p', []byte(final))
				}
			case 12: // the server's signature; the test trusts its loopback server
			default:
				return fmt.Errorf("postgres: authentication method %d not supported", code)
			}
			if err != nil {
				return err
			}
		}
	}
}

type scramState struct {
	password, nonce, clientFirstBare string
}

func newScram(password string) *scramState {
	b := make([]byte, 18)
	rand.Read(b)
	s := &scramState{password: password, nonce: base64.RawStdEncoding.EncodeToString(b)}
	s.clientFirstBare = "n=,r=" + s.nonce
	return s
}

func (s *scramState) clientFirst() string { return "n,," + s.clientFirstBare }

func (s *scramState) clientFinal(serverFirst string) (string, error) {
	attrs := map[string]string{}
	for _, kv := range strings.Split(serverFirst, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			attrs[k] = v
		}
	}
	salt, err := base64.StdEncoding.DecodeString(attrs["s"])
	if err != nil {
		return "", err
	}
	iter, err := strconv.Atoi(attrs["i"])
	if err != nil || !strings.HasPrefix(attrs["r"], s.nonce) {
		return "", errors.New("postgres: bad SCRAM server-first message")
	}
	salted, err := pbkdf2.Key(sha256.New, s.password, salt, iter, 32)
	if err != nil {
		return "", err
	}
	mac := func(key []byte, msg string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(msg))
		return m.Sum(nil)
	}
	clientKey := mac(salted, "Client Key")
	stored := sha256.Sum256(clientKey)
	withoutProof := "c=biws,r=" + attrs["r"]
	sig := mac(stored[:], s.clientFirstBare+","+serverFirst+","+withoutProof)
	for i := range clientKey {
		clientKey[i] ^= sig[i]
	}
	return withoutProof + ",p=" + base64.StdEncoding.EncodeToString(clientKey), nil
}

func (c *pgConn) Close() error { return c.nc.Close() }

func (c *pgConn) Prepare(query string) (driver.Stmt, error) { return &pgStmt{c: c, query: query}, nil }

func (c *pgConn) Begin() (driver.Tx, error) {
	if _, err := c.run("BEGIN", nil); err != nil {
		return nil, err
	}
	return pgTx{c}, nil
}

type pgTx struct{ c *pgConn }

func (t pgTx) Commit() error   { _, err := t.c.run("COMMIT", nil); return err }
func (t pgTx) Rollback() error { _, err := t.c.run("ROLLBACK", nil); return err }

// QueryContext and ExecContext skip the statement cache database/sql
// would otherwise go through Prepare for.
func (c *pgConn) QueryContext(_ context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.run(query, args)
}

func (c *pgConn) ExecContext(_ context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	rows, err := c.run(query, args)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// pgRows holds a statement's whole result, read before it returns.
type pgRows struct {
	columns []string
	rows    [][]driver.Value
	tag     string
}

func (r *pgRows) Columns() []string { return r.columns }
func (r *pgRows) Close() error      { return nil }
func (r *pgRows) Next(dest []driver.Value) error {
	if len(r.rows) == 0 {
		return io.EOF
	}
	copy(dest, r.rows[0])
	r.rows = r.rows[1:]
	return nil
}
func (r *pgRows) LastInsertId() (int64, error) { return 0, errors.New("postgres: no LastInsertId") }
func (r *pgRows) RowsAffected() (int64, error) {
	f := strings.Fields(r.tag)
	if len(f) == 0 {
		return 0, nil
	}
	return strconv.ParseInt(f[len(f)-1], 10, 64)
}

// run executes one statement with the extended protocol: Parse, Bind with
// text arguments, Describe, Execute, Sync.
func (c *pgConn) run(query string, args []driver.NamedValue) (*pgRows, error) {
	bind := append(append(cstr(""), cstr("")...), 0, 0) // portal, statement, no format codes: text
	bind = binary.BigEndian.AppendUint16(bind, uint16(len(args)))
	for _, a := range args {
		if a.Value == nil {
			bind = binary.BigEndian.AppendUint32(bind, 0xFFFFFFFF)
			continue
		}
		var s string
		switch v := a.Value.(type) {
		case []byte:
			s = string(v)
		case time.Time:
			s = v.Format(time.RFC3339Nano)
		case bool:
			s = strconv.FormatBool(v)
		default:
			s = fmt.Sprint(v)
		}
		bind = binary.BigEndian.AppendUint32(bind, uint32(len(s)))
		bind = append(bind, s...)
	}
	bind = append(bind, 0, 0) // results: text
	for _, m := range []struct {
		typ  byte
		body []byte
	}{
		{'P', append(append(cstr(""), cstr(query)...), 0, 0)},
		{'B', bind},
		{'D', append([]byte{'P'}, cstr("")...)},
		{'E', append(cstr(""), 0, 0, 0, 0)},
		{'S', nil},
	} {
		if err := c.send(m.typ, m.body); err != nil {
			return nil, driver.ErrBadConn
		}
	}
	res := &pgRows{}
	var failed error
	for {
		typ, body, err := c.recv()
		if err != nil {
			return nil, driver.ErrBadConn
		}
		switch typ {
		case 'E':
			failed = pgError(body)
		case 'T':
			n := int(binary.BigEndian.Uint16(body))
			body = body[2:]
			for range n {
				i := strings.IndexByte(string(body), 0)
				res.columns = append(res.columns, string(body[:i]))
				body = body[i+1+18:]
			}
		case 'D':
			n := int(binary.BigEndian.Uint16(body))
			body = body[2:]
			row := make([]driver.Value, n)
			for i := range n {
				l := int32(binary.BigEndian.Uint32(body))
				body = body[4:]
				if l >= 0 {
					row[i] = string(body[:l])
					body = body[l:]
				}
			}
			res.rows = append(res.rows, row)
		case 'C':
			res.tag = strings.TrimRight(string(body), "\x00")
		case 'Z':
			if failed != nil {
				return nil, failed
			}
			return res, nil
		}
	}
}

type pgStmt struct {
	c     *pgConn
	query string
}

func (s *pgStmt) Close() error  { return nil }
func (s *pgStmt) NumInput() int { return -1 }
func (s *pgStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.c.run(s.query, named(args))
}
func (s *pgStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.c.run(s.query, named(args))
}

func named(args []driver.Value) []driver.NamedValue {
	nvs := make([]driver.NamedValue, len(args))
	for i, v := range args {
		nvs[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return nvs
}

func init() { sql.Register("ddtsql-test-postgres", pgDriver{}) }
