package ddtsql

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/go-ddt/ddt/runtime/ext"
)

// Sealed references: when the instances of an application share a toolbar
// store, the SQL panel of a request served by instance A may be shown by
// the toolbar of instance B, and its EXPLAIN link reaches B. With a signing
// key shared through the toolbar's Options.SigningKey (ext.SigningKey),
// the reference carries the query and its arguments themselves, encrypted
// and authenticated under that key (AES-256-GCM): any instance that holds
// the key explains the query on its own database of the same name, and
// the browser learns nothing of the arguments. A query whose arguments do
// not fit (MaxSealedBytes) or cannot be encoded gets a reference that
// names its instance, which alone can explain it.

// MaxSealedBytes bounds the query and arguments that a sealed reference
// carries, so that the EXPLAIN link stays a reasonable URL.
const MaxSealedBytes = 6 << 10

// sealedPrefix starts a sealed reference: "s~KEYID~DATA". Neither base36
// sequence numbers nor base64url use '~'.
const sealedPrefix = "s~"

// instanceMark separates a local reference from the instance that made it,
// when a key is shared: "SEQ.MAC~INSTANCE".
const instanceMark = "~"

// ErrOtherKey reports a reference signed by an instance whose signing key
// is not this one's.
var ErrOtherKey = errors.New("ddtsql: this EXPLAIN reference was signed by an instance with another signing key: " +
	"give every instance of the application the same toolbar Options.SigningKey")

// ErrOtherInstance reports a reference that only the instance that made it
// can explain.
var ErrOtherInstance = errors.New("ddtsql: this query is kept only by the instance that ran it")

// targets are the wrapped databases by name, for sealed references made
// by other instances.
var targets sync.Map // string → *target, the last one opened with the name

func registerTarget(t *target) { targets.Store(t.name, t) }

// sealedQuery is what a sealed reference carries.
type sealedQuery struct {
	DB    string        `json:"db"`
	Query string        `json:"q"`
	Args  []sealedValue `json:"a,omitempty"`
}

// sealedValue is one argument: its name or ordinal, and its value as one
// of the types of driver.Value.
type sealedValue struct {
	Name    string `json:"n,omitempty"`
	Ordinal int    `json:"o"`
	Type    string `json:"t"` // nil, int64, float64, bool, bytes, string, time
	Value   string `json:"v,omitempty"`
}

// sealCipher returns the AEAD of key (a key of its own, derived from the
// shared one).
func sealCipher(key []byte) cipher.AEAD {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("ddtsql explain seal"))
	block, _ := aes.NewCipher(m.Sum(nil)) // 32 bytes: AES-256, no error
	aead, _ := cipher.NewGCM(block)
	return aead
}

// seal returns the sealed reference of query, or false when it cannot be
// sealed: no shared key, arguments of another type, or too large.
func seal(t *target, query string, args []driver.NamedValue) (string, bool) {
	key := ext.SigningKey()
	if key == nil {
		return "", false
	}
	sq := sealedQuery{DB: t.name, Query: query, Args: make([]sealedValue, len(args))}
	for i, a := range args {
		v := sealedValue{Name: a.Name, Ordinal: a.Ordinal}
		switch x := a.Value.(type) {
		case nil:
			v.Type = "nil"
		case int64:
			v.Type, v.Value = "int64", fmt.Sprint(x)
		case float64:
			v.Type, v.Value = "float64", fmt.Sprint(x)
		case bool:
			v.Type, v.Value = "bool", fmt.Sprint(x)
		case []byte:
			v.Type, v.Value = "bytes", base64.StdEncoding.EncodeToString(x)
		case string:
			v.Type, v.Value = "string", x
		case time.Time:
			v.Type, v.Value = "time", x.Format(time.RFC3339Nano)
		default:
			return "", false
		}
		sq.Args[i] = v
	}
	plain, err := json.Marshal(sq)
	if err != nil || len(plain) > MaxSealedBytes {
		return "", false
	}
	aead := sealCipher(key)
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	rand.Read(nonce)
	sealed := aead.Seal(nonce, nonce, plain, []byte(sealedPrefix))
	return sealedPrefix + ext.KeyID(key) + "~" + base64.RawURLEncoding.EncodeToString(sealed), true
}

// unseal returns the query that a sealed reference carries, explained on
// this instance's database of the same name.
func unseal(ref string) (explainable, error) {
	keyID, data, ok := strings.Cut(strings.TrimPrefix(ref, sealedPrefix), "~")
	if !ok {
		return explainable{}, ErrBadReference
	}
	key := ext.SigningKey()
	if key == nil {
		return explainable{}, fmt.Errorf("%w (key id %s; this instance has no shared key)", ErrOtherKey, keyID)
	}
	if mine := ext.KeyID(key); keyID != mine {
		return explainable{}, fmt.Errorf("%w (the reference's key id is %s, this instance's %s)", ErrOtherKey, keyID, mine)
	}
	sealed, err := base64.RawURLEncoding.DecodeString(data)
	aead := sealCipher(key)
	if err != nil || len(sealed) < aead.NonceSize() {
		return explainable{}, ErrBadReference
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(sealedPrefix))
	if err != nil {
		return explainable{}, ErrBadReference
	}
	var sq sealedQuery
	if err := json.Unmarshal(plain, &sq); err != nil {
		return explainable{}, ErrBadReference
	}
	t, ok := targets.Load(sq.DB)
	if !ok {
		return explainable{}, fmt.Errorf("ddtsql: explain: this instance has no database called %q (ddtsql.Name)", sq.DB)
	}
	e := explainable{target: t.(*target), query: sq.Query, args: make([]driver.NamedValue, len(sq.Args))}
	for i, v := range sq.Args {
		nv := driver.NamedValue{Name: v.Name, Ordinal: v.Ordinal}
		switch v.Type {
		case "nil":
		case "int64":
			var n int64
			_, err = fmt.Sscan(v.Value, &n)
			nv.Value = n
		case "float64":
			var f float64
			_, err = fmt.Sscan(v.Value, &f)
			nv.Value = f
		case "bool":
			nv.Value = v.Value == "true"
		case "bytes":
			nv.Value, err = base64.StdEncoding.DecodeString(v.Value)
		case "string":
			nv.Value = v.Value
		case "time":
			nv.Value, err = time.Parse(time.RFC3339Nano, v.Value)
		default:
			err = fmt.Errorf("type %q", v.Type)
		}
		if err != nil {
			return explainable{}, fmt.Errorf("ddtsql: explain: argument %d of the reference: %v", i+1, err)
		}
		e.args[i] = nv
	}
	return e, nil
}
