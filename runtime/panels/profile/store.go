package profile

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
)

// KeepProfiles is how many profiles the process keeps for download; a
// panel of an older request says its profile has expired.
const KeepProfiles = 8

// capture is what one profiled request leaves for download.
type capture struct {
	key     string // 128 random bits, in hex: unguessable
	request string // the toolbar's request id
	cpu     []byte // gzip-compressed pprof profile
	trace   []byte // execution trace of the request's window, or nil
}

var (
	capturesMu sync.Mutex
	captures   [KeepProfiles]*capture
	capturesN  int
)

// keep stores c for download under a new key, evicting the oldest.
func keep(c *capture) string {
	var b [16]byte
	rand.Read(b[:])
	c.key = hex.EncodeToString(b[:])
	capturesMu.Lock()
	captures[capturesN%KeepProfiles] = c
	capturesN++
	capturesMu.Unlock()
	return c.key
}

func lookup(key string) *capture {
	capturesMu.Lock()
	defer capturesMu.Unlock()
	for _, c := range captures {
		if c != nil && c.key == key {
			return c
		}
	}
	return nil
}
