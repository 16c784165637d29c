package ext

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
)

// The process's identity among the instances of an application that share
// a toolbar store: its instance name and the signing key of what
// integrations hand to the browser (EXPLAIN references). The toolbar sets
// both from its Options when its Middleware is made; integrations read
// them when they sign or check.
var (
	identityMu sync.RWMutex
	instance   string
	signingKey []byte
)

// SetIdentity sets the instance name and the signing key shared by the
// instances (nil: the integrations' own per-process keys). The toolbar's
// Middleware calls it; the last call of the process wins.
func SetIdentity(name string, key []byte) {
	identityMu.Lock()
	defer identityMu.Unlock()
	instance = name
	signingKey = append([]byte(nil), key...)
	if len(key) == 0 {
		signingKey = nil
	}
}

// Instance returns the name of this instance, "" before SetIdentity.
func Instance() string {
	identityMu.RLock()
	defer identityMu.RUnlock()
	return instance
}

// SigningKey returns the key shared by the instances, or nil when none was
// set. Callers must not modify it.
func SigningKey() []byte {
	identityMu.RLock()
	defer identityMu.RUnlock()
	return signingKey
}

// KeyID returns a short, public fingerprint of key, so that two instances
// can tell whether they hold the same key without showing it: "" for nil.
func KeyID(key []byte) string {
	if len(key) == 0 {
		return ""
	}
	sum := sha256.Sum256(append([]byte("ddt key id "), key...))
	return hex.EncodeToString(sum[:4])
}
